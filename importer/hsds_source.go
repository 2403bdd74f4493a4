package importer

import (
	"archive/zip"
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/livingwell/livingwell/directory"
)

// hsdsLimits bound what an HSDS datapackage may unpack to, so that no
// upload can fill the memory or the disk: checked from the zip's directory
// before anything is unpacked, and again while reading, since a zip's
// directory can lie.
type hsdsLimits struct {
	// MaxFiles is the most entries a zip may hold.
	MaxFiles int
	// MaxUnpacked is the most bytes all the files read may hold.
	MaxUnpacked int64
	// MaxRatio is the most an entry over a megabyte may expand by: CSV
	// compresses perhaps tenfold, a zip bomb a thousandfold.
	MaxRatio uint64
}

// defaultHSDSLimits allow a national directory's datapackage.
var defaultHSDSLimits = hsdsLimits{MaxFiles: 500, MaxUnpacked: 512 << 20, MaxRatio: 100}

// hsdsSource is an opened datapackage: the files, from the folder that
// holds datapackage.json, and what is left of the unpacking allowance.
type hsdsSource struct {
	fsys   fs.FS
	budget *budget
	// names are the files present, relative to the package folder.
	names map[string]bool
}

// budget is the bytes still allowed to be read from a package.
type budget struct {
	left  int64
	limit int64
}

// budgetReader reads r, failing with EINVALID once the budget is spent.
type budgetReader struct {
	r io.Reader
	b *budget
}

func (br *budgetReader) Read(p []byte) (int, error) {
	n, err := br.r.Read(p)
	br.b.left -= int64(n)
	if br.b.left < 0 {
		return n, tooBig(br.b.limit)
	}
	return n, err
}

func tooBig(limit int64) error {
	return directory.Errorf(directory.EINVALID, "the datapackage unpacks to more than %d MB - it is too big to import in one go; split it by organisation", limit>>20)
}

// open opens a file of the package for reading within the budget.
func (s *hsdsSource) open(name string) (io.ReadCloser, error) {
	f, err := s.fsys.Open(name)
	if err != nil {
		return nil, err
	}
	return struct {
		io.Reader
		io.Closer
	}{&budgetReader{r: f, b: s.budget}, f}, nil
}

// openHSDSZip checks a zip for everything that could harm the server
// before reading it: paths that climb out of the package (zip slip) or are
// absolute, links, zips inside the zip, too many entries, and entries that
// unpack to too much or expand suspiciously (zip bombs). It returns
// EINVALID saying which entry is wrong.
func openHSDSZip(f File, lim hsdsLimits) (*hsdsSource, error) {
	zr, err := zip.NewReader(f.R, f.Size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, directory.Errorf(directory.EINVALID, "this file is not a readable zip: %v", err)
	}
	if len(zr.File) > lim.MaxFiles {
		return nil, directory.Errorf(directory.EINVALID, "the zip holds %d files; a datapackage has a few dozen at most - is this the right file?", len(zr.File))
	}
	var total uint64
	names := map[string]bool{}
	for _, zf := range zr.File {
		name := zf.Name
		if strings.HasSuffix(name, "/") && zf.UncompressedSize64 == 0 {
			continue // a folder
		}
		switch {
		case strings.ContainsAny(name, "\\\x00") || !filepath.IsLocal(name) || path.Clean(name) != name:
			return nil, directory.Errorf(directory.EINVALID, "the zip holds %q, a path outside the package - make the zip again from the datapackage folder", name)
		case zf.Mode()&fs.ModeSymlink != 0 || !zf.Mode().IsRegular():
			return nil, directory.Errorf(directory.EINVALID, "the zip holds %q, which is a link or special file, not data", name)
		case isArchiveName(name):
			return nil, directory.Errorf(directory.EINVALID, "the zip holds another archive (%s) - unpack it and zip the datapackage's own files", name)
		}
		total += zf.UncompressedSize64
		if total > uint64(lim.MaxUnpacked) {
			return nil, tooBig(lim.MaxUnpacked)
		}
		if zf.UncompressedSize64 > 1<<20 && zf.UncompressedSize64 > lim.MaxRatio*max(zf.CompressedSize64, 1) {
			return nil, directory.Errorf(directory.EINVALID, "%s expands %d times over when unpacked, as zip bombs do - it is refused", name, zf.UncompressedSize64/max(zf.CompressedSize64, 1))
		}
		names[name] = true
	}
	return packageRoot(zr, names, lim)
}

// isArchiveName reports whether a file name is an archive of its own.
func isArchiveName(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".zip", ".gz", ".tgz", ".tar", ".7z", ".rar", ".bz2", ".xz", ".xlsx":
		return true
	}
	return false
}

// packageRoot finds the folder of the package: where datapackage.json is,
// or the one folder everything sits in (as zipping a folder makes), or the
// top.
func packageRoot(fsys fs.FS, names map[string]bool, lim hsdsLimits) (*hsdsSource, error) {
	prefix := ""
	if !names["datapackage.json"] {
		tops := map[string]bool{}
		for n := range names {
			top, _, nested := strings.Cut(n, "/")
			if !nested {
				top = ""
			}
			tops[top] = true
		}
		if len(tops) == 1 {
			for t := range tops {
				prefix = t
			}
		}
	}
	src := &hsdsSource{fsys: fsys, budget: &budget{left: lim.MaxUnpacked, limit: lim.MaxUnpacked}, names: map[string]bool{}}
	if prefix != "" {
		sub, err := fs.Sub(fsys, prefix)
		if err != nil {
			return nil, directory.Internal(err, "open the package folder")
		}
		src.fsys = sub
	}
	for n := range names {
		if rel, ok := strings.CutPrefix(n, prefix+"/"); prefix != "" && ok {
			src.names[rel] = true
		} else if prefix == "" {
			src.names[n] = true
		}
	}
	return src, nil
}

// openHSDSFolder opens a datapackage folder on disk. Files are opened
// through an os.Root, so no path in datapackage.json and no link in the
// folder can reach outside it.
func openHSDSFolder(dir string, lim hsdsLimits) (*hsdsSource, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, directory.Errorf(directory.EINVALID, "cannot open the folder %s: %v", dir, err)
	}
	fsys := root.FS()
	names := map[string]bool{}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, directory.Errorf(directory.EINVALID, "cannot read the folder %s: %v", dir, err)
	}
	if len(entries) > lim.MaxFiles {
		return nil, directory.Errorf(directory.EINVALID, "the folder holds %d files; a datapackage has a few dozen at most - is this the right folder?", len(entries))
	}
	for _, e := range entries {
		if e.Type().IsRegular() {
			names[e.Name()] = true
		}
	}
	if len(names) == 0 {
		return nil, directory.Errorf(directory.EINVALID, "the folder %s holds no files - give the folder with datapackage.json and the CSV files", dir)
	}
	return &hsdsSource{fsys: fsys, budget: &budget{left: lim.MaxUnpacked, limit: lim.MaxUnpacked}, names: names}, nil
}

// readAllLimited reads a small file of the package (datapackage.json),
// refusing more than limit bytes.
func (s *hsdsSource) readAllLimited(name string, limit int64) ([]byte, error) {
	rc, err := s.open(name)
	if err != nil {
		return nil, directory.Errorf(directory.EINVALID, "cannot read %s: %v", name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		if directory.ErrorCode(err) == directory.EINVALID {
			return nil, err
		}
		return nil, directory.Errorf(directory.EINVALID, "cannot read %s: %v", name, err)
	}
	if int64(len(b)) > limit {
		return nil, directory.Errorf(directory.EINVALID, "%s is over %d KB, too big for a datapackage descriptor", name, limit>>10)
	}
	return b, nil
}
