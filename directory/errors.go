package directory

import (
	"errors"
	"fmt"
)

// Error codes: the whole error vocabulary of the application. Every package
// reports failures with one of these so that the web layer can map them to a
// status with one table and only internal errors need logging.
const (
	ENOTFOUND     = "not_found"    // the thing asked for does not exist
	EINVALID      = "invalid"      // the input is wrong; the message says how to fix it
	ECONFLICT     = "conflict"     // the input clashes with what is stored
	EUNAUTHORIZED = "unauthorised" // the caller may not do this
	EINTERNAL     = "internal"     // our fault; details go to the log, not the caller
)

// Error is an application error: a code from the vocabulary above, a message
// that is safe to show to the person who caused it, and optionally the
// underlying cause, which is for the log only.
type Error struct {
	Code    string
	Message string
	Err     error
}

// Error returns the message, followed by the cause when there is one.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %v", e.Message, e.Err)
	}
	return e.Message
}

// Unwrap returns the cause so that errors.Is and errors.As see through it.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted, user-safe message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Internal wraps err as an internal error; msg says what was being done.
func Internal(err error, msg string) *Error {
	return &Error{Code: EINTERNAL, Message: msg, Err: err}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-safe message of err: the message of the first
// *Error in its chain, or a generic sentence for anything else, so internal
// details never reach a client.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL {
		return e.Message
	}
	return "Something went wrong on our side. Please try again; if it keeps happening, tell the network coordinator."
}
