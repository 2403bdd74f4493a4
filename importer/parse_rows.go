package importer

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"

	"github.com/livingwell/livingwell/directory"
)

// Rows are parsed on every core. Reading and checking a 100,000-row file
// took about 3 seconds on one core, during which the other had nothing
// to do: the store and the index wait for the whole plan. The table is
// still read in order by one goroutine (readers are not safe for more),
// in chunks handed to parsers, and the parsed rows come back in the
// file's order, so the plan (duplicates, "row N" in messages) is what
// one goroutine would have made. rowParser and what it reads (taxonomy,
// gazetteer, the package's word tables) are only read.

// parseChunkRows is how many rows a parser takes at a time.
const parseChunkRows = 256

// parsedChunk is a chunk's parsed rows, or what stopped them.
type parsedChunk struct {
	parsed []*parsedRow
	err    error
}

// parseChunk parses rows. A row that makes the parser panic (a bug: no
// row should) is an error for the upload, as it was when the rows were
// parsed in the request's goroutine, whose panics the server recovers
// from; a panic in a goroutine of its own would stop the server.
func parseChunk(rp *rowParser, rows []int, cells [][]string) (res parsedChunk) {
	row := 0
	defer func() {
		if r := recover(); r != nil {
			res = parsedChunk{err: directory.Internal(fmt.Errorf("%v", r), fmt.Sprintf("read row %d", row))}
		}
	}()
	res.parsed = make([]*parsedRow, len(rows))
	for i := range rows {
		row = rows[i]
		res.parsed[i] = rp.parse(row, cells[i])
	}
	return res
}

// parseRows parses t's rows with rp on every core and calls each with
// every parsed row in the file's order, or with the error that ended the
// table (io.EOF at its end), after which it is not called again. It stops
// reading when each returns false or ctx ends. At most a few chunks per
// core are read ahead, so a long file is read in bounded memory.
func parseRows(ctx context.Context, t Table, rp *rowParser, each func(pr *parsedRow, err error) bool) {
	ctx, cancel := context.WithCancel(ctx)
	workers := max(1, runtime.GOMAXPROCS(0))
	type chunk struct {
		rows  []int
		cells [][]string
		err   error
		out   chan parsedChunk
	}
	work := make(chan *chunk)
	order := make(chan *chunk, 2*workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for c := range work {
				c.out <- parseChunk(rp, c.rows, c.cells)
			}
		})
	}
	// The reader: chunks go to the parsers and, in the same order, to
	// the caller's queue; the last chunk carries the table's error.
	wg.Go(func() {
		defer close(order)
		defer close(work)
		for {
			c := &chunk{out: make(chan parsedChunk, 1)}
			for len(c.rows) < parseChunkRows {
				row, cells, err := t.Next()
				if err != nil {
					c.err = err
					break
				}
				c.rows, c.cells = append(c.rows, row), append(c.cells, slices.Clone(cells))
			}
			select {
			case order <- c:
			case <-ctx.Done():
				return
			}
			if len(c.rows) > 0 {
				select {
				case work <- c:
				case <-ctx.Done():
					return
				}
			} else {
				c.out <- parsedChunk{}
			}
			if c.err != nil {
				return
			}
		}
	})
	defer func() {
		cancel()
		wg.Wait()
	}()
	for c := range order {
		var res parsedChunk
		select {
		case res = <-c.out:
		case <-ctx.Done():
			each(nil, ctx.Err())
			return
		}
		if res.err != nil {
			each(nil, res.err)
			return
		}
		for _, pr := range res.parsed {
			if !each(pr, nil) {
				return
			}
		}
		if c.err != nil {
			each(nil, c.err)
			return
		}
	}
	// The reader stopped without an error: ctx ended.
	if err := ctx.Err(); err != nil {
		each(nil, err)
		return
	}
	each(nil, errors.New("the table ended without an error"))
}
