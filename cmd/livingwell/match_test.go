package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// runMatchCommand runs "livingwell match" in-process with the arguments
// and returns the exit code, standard output and standard error.
func runMatchCommand(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := &cli{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }}
	code := env.main(context.Background(), append([]string{"match"}, args...))
	return code, out.String(), errOut.String()
}

func TestMatchCommand(t *testing.T) {
	data := t.TempDir()
	t.Run("prints matches with reasons", func(t *testing.T) {
		code, out, errOut := runMatchCommand(t, "--data", data, "--interests", "gardening,cooking", "--goals", "relationships",
			"--postcode", "SW9", "--free", "--limit", "3")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		for _, want := range []string{"1. ", "3. ", "km from SW9", "Free", "You like "} {
			if !strings.Contains(out, want) {
				t.Errorf("output does not say %q:\n%s", want, out)
			}
		}
		if strings.Contains(out, "4. ") {
			t.Errorf("more than the 3 matches asked for:\n%s", out)
		}
	})
	t.Run("crisis words bring urgent help first", func(t *testing.T) {
		code, out, errOut := runMatchCommand(t, "--data", data, "--needs", "crisis", "--postcode", "SW2", "--limit", "2")
		if code != 0 || !strings.HasPrefix(out, "If the person is in crisis: NHS 111 option 2, Samaritans 116 123") {
			t.Errorf("exit %d, output:\n%s%s", code, out, errOut)
		}
	})
	t.Run("says what to fix", func(t *testing.T) {
		code, _, errOut := runMatchCommand(t, "--data", data, "--days", "someday")
		if code != 1 || !strings.Contains(errOut, "not a day of the week") {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
		code, _, errOut = runMatchCommand(t, "--data", data, "--max-cost", "lots")
		if code != 1 || !strings.Contains(errOut, "--max-cost") {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
		code, _, errOut = runMatchCommand(t, "--data", data, "gardening")
		if code != 1 || !strings.Contains(errOut, "--interests") {
			t.Errorf("words without a flag: exit %d, stderr %q", code, errOut)
		}
	})
}

func TestMatchEvalCommand(t *testing.T) {
	code, out, errOut := runMatchCommand(t, "eval")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"nDCG@5", "P@5", "STAGES@5", "VIOLATIONS", "bereaved-choir", "OVERALL (45 personas)", "baseline"} {
		if !strings.Contains(out, want) {
			t.Errorf("the evaluation does not print %q:\n%s", want, out)
		}
	}
}
