package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/livingwell/livingwell/importer"
)

// progressFrom is how many rows a file must reach before its progress is
// shown: short files are read before anyone would notice.
const progressFrom = 3000

// progressBar draws how far reading a file has got on stderr: a bar
// redrawn in place on a terminal, or a line every tenth of the way when
// stderr is a file or pipe.
type progressBar struct {
	w     io.Writer
	label string
	tty   bool
	shown bool
	last  int // the last tenth written, when not a terminal
}

func newProgressBar(w io.Writer, label string) *progressBar {
	return &progressBar{w: w, label: label, tty: isTerminal(w), last: -1}
}

// update draws p, once the file has passed progressFrom rows.
func (b *progressBar) update(p importer.Progress) {
	if p.Rows < progressFrom && !b.shown {
		return
	}
	b.shown = true
	pct := -1
	if p.Total > 0 {
		pct = int(min(100, p.Done*100/p.Total))
	}
	if p.Finished {
		pct = 100
	}
	if !b.tty {
		tenth := pct / 10
		if pct < 0 {
			tenth = p.Rows / 10000
		}
		if tenth == b.last && !p.Finished {
			return
		}
		b.last = tenth
	}
	line := fmt.Sprintf("%s %s rows", b.label, thousands(p.Rows))
	if pct >= 0 {
		const width = 30
		filled := pct * width / 100
		line = fmt.Sprintf("%s [%s%s] %3d%%  %s rows", b.label, strings.Repeat("#", filled), strings.Repeat(".", width-filled), pct, thousands(p.Rows))
	}
	switch {
	case b.tty && p.Finished:
		fmt.Fprintf(b.w, "\r%s\n", line)
	case b.tty:
		fmt.Fprintf(b.w, "\r%s", line)
	default:
		fmt.Fprintln(b.w, line)
	}
}

// isTerminal reports whether w is a terminal.
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// thousands writes n with commas: 12,345.
func thousands(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
