package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"strings"

	"github.com/livingwell/livingwell/data"
	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/importer"
)

// errUsage means the command line was wrong; the flag package has already
// said how.
var errUsage = errors.New("usage")

// newFlags returns a flag set for a command with the flags every command
// has.
func (env *cli) newFlags(name, usage string) (*flag.FlagSet, *commonFlags) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.stderr, "Usage: livingwell %s %s\n\nFlags (each also read from the environment variable shown):\n", name, usage)
		fs.VisitAll(func(f *flag.Flag) {
			fmt.Fprintf(env.stderr, "  --%s (%s)\n\t%s", f.Name, envName(f.Name), f.Usage)
			if f.DefValue != "" && f.DefValue != "false" {
				fmt.Fprintf(env.stderr, " (default %q)", f.DefValue)
			}
			fmt.Fprintln(env.stderr)
		})
	}
	c := &commonFlags{}
	fs.StringVar(&c.dataDir, "data", "./livingwell-data", "the data directory")
	fs.StringVar(&c.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	fs.StringVar(&c.logFormat, "log-format", "text", "log format: text or json")
	return fs, c
}

type commonFlags struct {
	dataDir   string
	logLevel  string
	logFormat string
}

// envName is the environment variable for a flag: --radius-km is
// LIVINGWELL_RADIUS_KM.
func envName(flagName string) string {
	return "LIVINGWELL_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// parse reads flags, taking defaults from the environment first, so a flag
// on the command line beats the environment, which beats the default.
func (env *cli) parse(fs *flag.FlagSet, args []string) error {
	var bad error
	fs.VisitAll(func(f *flag.Flag) {
		if v := env.getenv(envName(f.Name)); v != "" && bad == nil {
			if err := f.Value.Set(v); err != nil {
				bad = fmt.Errorf("environment variable %s=%q: %v", envName(f.Name), v, err)
			}
		}
	})
	if bad != nil {
		fmt.Fprintln(env.stderr, bad)
		return errUsage
	}
	// Flags may come after the words too ("search gardening --postcode
	// SW9"): parse, set aside the first word, and parse the rest again.
	var words []string
	for {
		if err := fs.Parse(args); err != nil {
			return errUsage
		}
		if fs.NArg() == 0 {
			break
		}
		words = append(words, fs.Arg(0))
		args = fs.Args()[1:]
	}
	return fs.Parse(append([]string{"--"}, words...))
}

// logger returns the logger the flags ask for.
func (env *cli) logger(c *commonFlags) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.logLevel)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if c.logFormat == "json" {
		return slog.New(slog.NewJSONHandler(env.stderr, opts))
	}
	return slog.New(slog.NewTextHandler(env.stderr, opts))
}

// openDirectory opens the data directory with the embedded vocabulary.
// When seed is true and the directory has never been set up, it loads the
// sample network through the importer.
func (env *cli) openDirectory(ctx context.Context, c *commonFlags, log *slog.Logger, seed bool) (*directory.Directory, error) {
	vocab, err := data.LoadVocabulary()
	if err != nil {
		return nil, fmt.Errorf("load the embedded vocabulary: %w", err)
	}
	dir, err := directory.Open(directory.Config{Dir: c.dataDir, Taxonomy: vocab.Taxonomy, Thesaurus: vocab.Thesaurus, Gazetteer: vocab.Gazetteer, Logger: log})
	if err != nil {
		return nil, err
	}
	if !seed {
		return dir, nil
	}
	done, err := dir.Initialised()
	if err != nil {
		dir.Close()
		return nil, err
	}
	if !done {
		log.Info("first run on an empty data directory: loading the sample network", "data", c.dataDir)
		n, err := importer.New(dir).LoadSample(ctx)
		if err != nil {
			dir.Close()
			return nil, fmt.Errorf("load the sample network: %w", err)
		}
		if err := dir.MarkInitialised(); err != nil {
			dir.Close()
			return nil, err
		}
		log.Info("sample network loaded", "listings", n)
	}
	return dir, nil
}
