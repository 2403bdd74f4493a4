package main

import (
	"context"
	"fmt"
	"time"
)

// runReindex rebuilds the search index from the store.
func runReindex(ctx context.Context, env *cli, args []string) error {
	fs, common := env.newFlags("reindex", "[flags]")
	if err := env.parse(fs, args); err != nil {
		return err
	}
	log := env.logger(common)
	dir, err := env.openDirectory(ctx, common, log, false)
	if err != nil {
		return err
	}
	defer dir.Close()
	start := time.Now()
	if err := dir.Rebuild(ctx); err != nil {
		return err
	}
	n, err := dir.Count(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "Rebuilt the index: %d listings in %s.\n", n, time.Since(start).Round(time.Millisecond))
	return nil
}
