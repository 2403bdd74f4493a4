// Command livingwell runs the Living Well community resource directory:
// the web server, and the tools to search, import, export and look after a
// data directory. Run "livingwell help" for the commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"

	"github.com/livingwell/livingwell/directory"
)

// command is one subcommand.
type command struct {
	summary string
	run     func(ctx context.Context, env *cli, args []string) error
}

// commands lists the subcommands by name.
var commands = map[string]command{
	"serve":   {"run the web server (first run on an empty data directory loads the sample network)", runServe},
	"search":  {"search the directory and print a table", runSearch},
	"match":   {"rank listings for a person, with reasons; \"match eval\" measures the ranking", runMatch},
	"reindex": {"rebuild the search index from the store", runReindex},

	"import":      {"import a partner's listings from a CSV or Excel file, with a preview of every change", runImport},
	"export":      {"write a partner's listings as the template (CSV or Excel) or an HSDS datapackage", runExport},
	"undo-import": {"undo a partner's latest import", runUndoImport},
	"partners":    {"add or list partners", runPartners},
	"users":       {"add or list users (admins, workers, partner staff)", runUsers},
	"tokens":      {"create, list or revoke a partner's API tokens", runTokens},
	"backup":      {"write a consistent copy of the store to a file (through the running server with --from)", runBackup},
	"restore":     {"replace a stopped data directory's store with a backup; the index is rebuilt on the next start", runRestore},
	"audit":       {"print the audit log: every change, who made it and when", runAudit},
	"gen":         {"write a generated partner CSV of realistic listings, for load tests and benchmarks", runGen},
}

// cli is what every command gets: where to write and how to read the
// environment, so tests can run commands in-process.
type cli struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	env := &cli{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	code := env.main(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}

// main runs one command and returns the exit code: 0 on success, 2 for a
// usage mistake, 1 for anything else.
func (env *cli) main(ctx context.Context, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		env.usage()
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(env.stderr, "livingwell: unknown command %q\n\n", args[0])
		env.usage()
		return 2
	}
	// Changes made from the command line are recorded in the audit log
	// under the name of the person at the terminal.
	ctx = directory.WithActor(ctx, "cli:"+firstSet(env.getenv("SUDO_USER"), env.getenv("USER"), "unknown"))
	err := cmd.run(ctx, env, args[1:])
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errUsage):
		return 2
	case errors.Is(err, errRefused):
		return 1
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(env.stderr, "livingwell: stopped")
		return 1
	}
	fmt.Fprintf(env.stderr, "livingwell %s: %s\n", args[0], describe(err))
	return 1
}

// describe returns the user-facing message of an error, with the cause for
// internal errors since the person at the terminal runs the service.
func describe(err error) string {
	if directory.ErrorCode(err) == directory.EINTERNAL {
		return err.Error()
	}
	return directory.ErrorMessage(err)
}

func (env *cli) usage() {
	fmt.Fprintln(env.stderr, "Usage: livingwell COMMAND [flags]")
	fmt.Fprintln(env.stderr, "\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(env.stderr, "  %-14s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(env.stderr, "\nEvery command takes --data DIR (default ./livingwell-data, or $LIVINGWELL_DATA).")
	fmt.Fprintln(env.stderr, "Run \"livingwell COMMAND -h\" for a command's flags.")
}

// firstSet returns the first non-empty string.
func firstSet(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
