package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/livingwell/livingwell/directory"
)

// subcommands runs the named subcommand of a command with several
// ("partners add", "users list").
func subcommands(name string, subs map[string]func(context.Context, *cli, []string) error) func(context.Context, *cli, []string) error {
	return func(ctx context.Context, env *cli, args []string) error {
		if len(args) > 0 {
			if run, ok := subs[args[0]]; ok {
				return run(ctx, env, args[1:])
			}
			fmt.Fprintf(env.stderr, "livingwell %s: unknown subcommand %q\n", name, args[0])
		}
		fmt.Fprintf(env.stderr, "Usage: livingwell %s %s [flags]\n", name, strings.Join(slices.Sorted(maps.Keys(subs)), "|"))
		return errUsage
	}
}

var runPartners = subcommands("partners", map[string]func(context.Context, *cli, []string) error{
	"add": runPartnersAdd, "list": runPartnersList,
})

var runUsers = subcommands("users", map[string]func(context.Context, *cli, []string) error{
	"add": runUsersAdd, "list": runUsersList,
})

var runTokens = subcommands("tokens", map[string]func(context.Context, *cli, []string) error{
	"create": runTokensCreate, "revoke": runTokensRevoke, "list": runTokensList,
})

// openForWrite opens the data directory for a command that adds to it by
// hand. A directory set up by hand is marked as set up, so the first
// serve does not load the sample network into it.
func (env *cli) openForWrite(ctx context.Context, c *commonFlags, log *slog.Logger) (*directory.Directory, error) {
	dir, err := env.openDirectory(ctx, c, log, false)
	if err != nil {
		return nil, err
	}
	done, err := dir.Initialised()
	if err == nil && !done {
		err = dir.MarkInitialised()
	}
	if err != nil {
		dir.Close()
		return nil, err
	}
	return dir, nil
}

// runPartnersAdd adds a partner and prints its id.
func runPartnersAdd(ctx context.Context, env *cli, args []string) error {
	fs, common := env.newFlags("partners add", "--name NAME [--id ID] [--kind KIND] [--website URL] [--borough BOROUGH]")
	name := fs.String("name", "", "the partner's name (required)")
	id := fs.String("id", "", "the partner's id (default: made from the name)")
	kind := fs.String("kind", "", "voluntary, faith, housing, employment, nhs, council or community")
	website := fs.String("website", "", "the partner's web address")
	borough := fs.String("borough", "", "the borough the partner mostly serves")
	if err := env.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 || *name == "" {
		fs.Usage()
		return errUsage
	}
	dir, err := env.openForWrite(ctx, common, env.logger(common))
	if err != nil {
		return err
	}
	defer dir.Close()
	p, err := dir.AddPartner(ctx, directory.Partner{ID: *id, Name: *name, Kind: *kind, Website: *website, Borough: *borough})
	if err != nil {
		return err
	}
	fmt.Fprintln(env.stdout, p.ID)
	return nil
}

// runPartnersList prints every partner with how many listings it has.
func runPartnersList(ctx context.Context, env *cli, args []string) error {
	fs, common := env.newFlags("partners list", "")
	if err := env.parse(fs, args); err != nil {
		return err
	}
	dir, err := env.openDirectory(ctx, common, env.logger(common), false)
	if err != nil {
		return err
	}
	defer dir.Close()
	partners, err := dir.Partners(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(env.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "id\tname\tkind\tlistings")
	for _, p := range partners {
		ls, err := dir.PartnerListings(ctx, p.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\n", p.ID, p.Name, p.Kind, len(ls))
	}
	return tw.Flush()
}

// generatedPasswordLen is the length of a generated password: 20
// characters of URL-safe base64, 120 bits.
const generatedPasswordLen = 20

// runUsersAdd adds a user. The password is the first line of standard
// input; when standard input is a terminal or gives none, one is
// generated and printed once.
func runUsersAdd(ctx context.Context, env *cli, args []string) error {
	fs, common := env.newFlags("users add", "--role admin|worker|partner [--partner ID] [--name NAME] EMAIL")
	role := fs.String("role", "", "admin, worker or partner (required)")
	partner := fs.String("partner", "", "the partner a partner user belongs to")
	name := fs.String("name", "", "the person's name")
	if err := env.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || *role == "" {
		fs.Usage()
		return errUsage
	}
	password, err := readPassword(env.stdin)
	if err != nil {
		return err
	}
	generated := password == ""
	if generated {
		password = directory.NewSecret()[:generatedPasswordLen]
	}
	dir, err := env.openForWrite(ctx, common, env.logger(common))
	if err != nil {
		return err
	}
	defer dir.Close()
	u, err := dir.AddUser(ctx, directory.User{Email: fs.Arg(0), Name: *name, Role: directory.Role(*role), PartnerID: *partner}, password)
	if err != nil {
		return err
	}
	who := string(u.Role)
	if u.PartnerID != "" {
		who += " for " + u.PartnerID
	}
	fmt.Fprintf(env.stdout, "Added %s (%s).\n", u.Email, who)
	if generated {
		fmt.Fprintf(env.stdout, "Password (shown only now): %s\n", password)
	}
	return nil
}

// readPassword reads the first line of r, or "" when r is a terminal or
// empty. It returns EINVALID for a password with spaces at either end.
func readPassword(r io.Reader) (string, error) {
	if r == nil || isTerminal(r) {
		return "", nil
	}
	line, err := bufio.NewReader(io.LimitReader(r, 4096)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("read the password from standard input: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line != strings.TrimSpace(line) {
		return "", directory.Errorf(directory.EINVALID, "the password on standard input starts or ends with a space - remove it")
	}
	return line, nil
}

// runUsersList prints every user.
func runUsersList(ctx context.Context, env *cli, args []string) error {
	fs, common := env.newFlags("users list", "")
	if err := env.parse(fs, args); err != nil {
		return err
	}
	dir, err := env.openDirectory(ctx, common, env.logger(common), false)
	if err != nil {
		return err
	}
	defer dir.Close()
	users, err := dir.Users(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(env.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "email\trole\tpartner\tname\tadded\tstate")
	for _, u := range users {
		state := "active"
		if u.Disabled {
			state = "disabled"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", u.Email, u.Role, u.PartnerID, u.Name, u.Created.Format("2006-01-02"), state)
	}
	return tw.Flush()
}

// runTokensCreate makes an API token for a partner and prints it once.
func runTokensCreate(ctx context.Context, env *cli, args []string) error {
	fs, common := env.newFlags("tokens create", "--partner ID [--name NAME]")
	partner := fs.String("partner", "", "the partner the token uploads for (required)")
	name := fs.String("name", "", "what the token is for, e.g. the system that uses it")
	if err := env.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 || *partner == "" {
		fs.Usage()
		return errUsage
	}
	dir, err := env.openForWrite(ctx, common, env.logger(common))
	if err != nil {
		return err
	}
	defer dir.Close()
	token, rec, err := dir.CreateToken(ctx, *partner, *name)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.stdout, token)
	fmt.Fprintf(env.stderr, "Token %s for %s: shown only now, and stored only as a hash - keep it safe. Revoke it with: livingwell tokens revoke --partner %s %s\n", rec.ID, rec.PartnerID, rec.PartnerID, rec.ID)
	return nil
}

// runTokensRevoke revokes one of a partner's tokens.
func runTokensRevoke(ctx context.Context, env *cli, args []string) error {
	fs, common := env.newFlags("tokens revoke", "--partner ID TOKEN_ID")
	partner := fs.String("partner", "", "the partner the token belongs to (required)")
	if err := env.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || *partner == "" {
		fs.Usage()
		return errUsage
	}
	dir, err := env.openDirectory(ctx, common, env.logger(common), false)
	if err != nil {
		return err
	}
	defer dir.Close()
	if err := dir.RevokeToken(ctx, *partner, fs.Arg(0)); err != nil {
		if directory.ErrorCode(err) == directory.ENOTFOUND {
			return directory.Errorf(directory.ENOTFOUND, "partner %s has no token %q - livingwell tokens list --partner %s shows its tokens", *partner, fs.Arg(0), *partner)
		}
		return err
	}
	fmt.Fprintf(env.stdout, "Revoked token %s of %s.\n", fs.Arg(0), *partner)
	return nil
}

// runTokensList prints API tokens (never the tokens themselves).
func runTokensList(ctx context.Context, env *cli, args []string) error {
	fs, common := env.newFlags("tokens list", "[--partner ID]")
	partner := fs.String("partner", "", "only this partner's tokens")
	if err := env.parse(fs, args); err != nil {
		return err
	}
	dir, err := env.openDirectory(ctx, common, env.logger(common), false)
	if err != nil {
		return err
	}
	defer dir.Close()
	tokens, err := dir.Tokens(ctx, *partner)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(env.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "id\tpartner\tname\tcreated\tstate")
	for _, t := range tokens {
		state := "active"
		if t.Revoked != nil {
			state = "revoked " + t.Revoked.Format("2006-01-02")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", t.ID, t.PartnerID, t.Name, t.Created.Format("2006-01-02"), state)
	}
	return tw.Flush()
}
