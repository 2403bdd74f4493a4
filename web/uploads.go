package web

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/importer"
)

// Uploads are streamed to a temporary file, never held in memory: a
// partner's file is read once from the request into the upload folder and
// then planned (and on confirmation planned again and applied) from there.
// The web flow keeps the file until the partner confirms or cancels it,
// keyed by an unguessable id that is only good for the session that
// uploaded it and the partner it was uploaded for.

const (
	// uploadTTL is how long an unconfirmed upload is kept.
	uploadTTL = 2 * time.Hour
	// maxPendingPerSession is how many unconfirmed uploads one session may
	// have; an older one is dropped for a newer.
	maxPendingPerSession = 3
	// maxPending is how many unconfirmed uploads the server keeps at all.
	maxPending = 50
	// uploadFilePrefix names the temporary files, so that files left by a
	// crash can be told apart and removed on the next start.
	uploadFilePrefix = "livingwell-upload-"
	// formSlack is room in a multipart body for the boundaries and the
	// small fields next to the file.
	formSlack = 1 << 20
	// maxFormFields and maxFieldBytes bound the fields next to a file.
	maxFormFields = 20
	maxFieldBytes = 4 << 10
)

// receivedFile is an uploaded file saved in the upload folder.
type receivedFile struct {
	Path string
	Name string
	Size int64
}

// remove deletes the saved file.
func (f *receivedFile) remove() { os.Remove(f.Path) }

// open opens the saved file for the importer, which needs random access.
// The caller closes the returned file.
func (f *receivedFile) open() (*os.File, importer.File, error) {
	fh, err := os.Open(f.Path)
	if err != nil {
		return nil, importer.File{}, directory.Internal(err, "open the uploaded file")
	}
	return fh, importer.File{Name: f.Name, R: fh, Size: f.Size}, nil
}

// pendingUpload is a web upload waiting for the partner to confirm it.
type pendingUpload struct {
	ID        string
	File      receivedFile
	Mode      importer.Mode
	PartnerID string
	// Session is the hash of the session token that uploaded it.
	Session string
	Created time.Time
}

// uploadStore holds the pending uploads and their files. It is safe for
// concurrent use.
type uploadStore struct {
	dir string
	now func() time.Time

	mu      sync.Mutex
	pending map[string]*pendingUpload
}

// newUploadStore makes the upload folder and removes upload files a
// previous run left behind (their ids were only in memory). The folder
// belongs to one server (the data directory's lock sees to that), except
// the shared system temporary folder, which is never swept.
func newUploadStore(dir string, now func() time.Time) (*uploadStore, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	if filepath.Clean(dir) != filepath.Clean(os.TempDir()) {
		old, _ := filepath.Glob(filepath.Join(dir, uploadFilePrefix+"*"))
		for _, p := range old {
			os.Remove(p)
		}
	}
	return &uploadStore{dir: dir, now: now, pending: map[string]*pendingUpload{}}, nil
}

// save copies r into a new file in the upload folder. It returns
// errTooLarge, and keeps nothing, when r holds more than limit bytes.
func (u *uploadStore) save(r io.Reader, name string, limit int64) (*receivedFile, error) {
	f, err := os.CreateTemp(u.dir, uploadFilePrefix+"*")
	if err != nil {
		return nil, directory.Internal(err, "save the upload")
	}
	n, err := io.Copy(f, io.LimitReader(r, limit+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > limit {
		err = errTooLarge
	}
	if err != nil {
		os.Remove(f.Name())
		return nil, uploadReadError(err)
	}
	return &receivedFile{Path: f.Name(), Name: cleanFileName(name), Size: n}, nil
}

// uploadReadError explains a failure to read an upload: too large, cut
// short by the client, or our fault.
func uploadReadError(err error) error {
	var mbe *http.MaxBytesError
	switch {
	case directory.Unwritable(err):
		// The disk refused the copy (full or read-only): answered 503.
		return directory.Internal(err, "save the upload")
	case errors.Is(err, errTooLarge), errors.As(err, &mbe):
		return errTooLarge
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return directory.Errorf(directory.EINVALID, "the upload was cut short - try sending the file again")
	}
	var de *directory.Error
	if errors.As(err, &de) {
		return err
	}
	return directory.Errorf(directory.EINVALID, "the upload could not be read (%v) - try sending the file again", err)
}

// cleanFileName keeps the last path element of a client's file name,
// without control characters and at most 200 bytes, for messages and the
// import history.
func cleanFileName(name string) string {
	name = name[strings.LastIndexAny(name, `/\`)+1:]
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, name)
	if len(name) > 200 {
		name = strings.ToValidUTF8(name[:200], "")
	}
	if name == "" {
		return "upload"
	}
	return name
}

// readMultipart streams a multipart form: the part named "file" goes to a
// file in the upload folder (at most limit bytes), and up to a few small
// fields are returned. The file is nil when the form had none; the caller
// removes it. It returns errTooLarge for a file over limit and EINVALID
// for a body that is not a multipart form.
func (u *uploadStore) readMultipart(c *gin.Context, limit int64) (*receivedFile, map[string]string, error) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit+formSlack)
	mr, err := c.Request.MultipartReader()
	if err != nil {
		return nil, nil, directory.Errorf(directory.EINVALID, "send the file as a multipart form with a field named \"file\", or as the request body")
	}
	fields := map[string]string{}
	var file *receivedFile
	fail := func(err error) (*receivedFile, map[string]string, error) {
		if file != nil {
			file.remove()
		}
		return nil, nil, uploadReadError(err)
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fail(err)
		}
		name := part.FormName()
		switch {
		case name == "file" && file == nil:
			file, err = u.save(part, part.FileName(), limit)
			if err != nil {
				return fail(err)
			}
		case len(fields) < maxFormFields && name != "file":
			b, err := io.ReadAll(io.LimitReader(part, maxFieldBytes))
			if err != nil {
				return fail(err)
			}
			fields[name] = string(b)
		}
		part.Close()
	}
	return file, fields, nil
}

// isMultipart reports whether the request body is a multipart form.
func isMultipart(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt == "multipart/form-data"
}

// add registers an upload for confirmation and returns it. It first
// forgets expired uploads, then, to stay within the limits, the session's
// and the server's oldest.
func (u *uploadStore) add(f *receivedFile, mode importer.Mode, partnerID, session string) *pendingUpload {
	p := &pendingUpload{ID: directory.NewSecret(), File: *f, Mode: mode, PartnerID: partnerID, Session: session, Created: u.now()}
	u.mu.Lock()
	defer u.mu.Unlock()
	u.sweepLocked()
	mine := u.sortedLocked(func(q *pendingUpload) bool { return q.Session == session })
	for len(mine) >= maxPendingPerSession {
		u.dropLocked(mine[0])
		mine = mine[1:]
	}
	all := u.sortedLocked(func(*pendingUpload) bool { return true })
	for len(all) >= maxPending {
		u.dropLocked(all[0])
		all = all[1:]
	}
	u.pending[p.ID] = p
	return p
}

// get returns the pending upload with id when it belongs to session and
// partnerID, or nil.
func (u *uploadStore) get(id, session, partnerID string) *pendingUpload {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.sweepLocked()
	p := u.pending[id]
	if p == nil || p.Session != session || p.PartnerID != partnerID {
		return nil
	}
	return p
}

// claim takes the pending upload out of the store so that only one
// request applies it; release puts it back when it was not applied.
func (u *uploadStore) claim(id, session, partnerID string) *pendingUpload {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.sweepLocked()
	p := u.pending[id]
	if p == nil || p.Session != session || p.PartnerID != partnerID {
		return nil
	}
	delete(u.pending, id)
	return p
}

// release returns a claimed upload to the store.
func (u *uploadStore) release(p *pendingUpload) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.pending[p.ID] = p
}

// sweepLocked forgets uploads older than uploadTTL.
func (u *uploadStore) sweepLocked() {
	for _, p := range u.pending {
		if u.now().Sub(p.Created) > uploadTTL {
			u.dropLocked(p)
		}
	}
}

func (u *uploadStore) dropLocked(p *pendingUpload) {
	delete(u.pending, p.ID)
	p.File.remove()
}

// sortedLocked returns the pending uploads that keep, oldest first.
func (u *uploadStore) sortedLocked(keep func(*pendingUpload) bool) []*pendingUpload {
	var out []*pendingUpload
	for _, p := range u.pending {
		if keep(p) {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b *pendingUpload) int { return a.Created.Compare(b.Created) })
	return out
}

// uploadDeadline is how long an upload request may take, from reading its
// body to writing the answer: a large file on a slow line, then a 200,000-row
// plan and apply, outlast the server's usual read and write timeouts.
const uploadDeadline = 30 * time.Minute

// longRequest lifts the server's read and write deadlines for an upload
// route. It runs after sign-in or the token check, so only known callers
// get the longer time; everyone else keeps the short timeouts that stop
// stalled clients holding connections.
func (s *Server) longRequest() gin.HandlerFunc {
	return func(c *gin.Context) {
		rc := http.NewResponseController(c.Writer)
		until := time.Now().Add(uploadDeadline)
		// Errors mean the connection cannot change deadlines (as under
		// httptest); the usual timeouts then stand.
		_ = rc.SetReadDeadline(until)
		_ = rc.SetWriteDeadline(until)
		c.Next()
	}
}
