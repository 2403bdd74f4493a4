package web

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/livingwell/livingwell/directory"
)

// statusOf maps the error vocabulary to HTTP statuses: the one place this
// is decided.
var statusOf = map[string]int{
	directory.ENOTFOUND:     http.StatusNotFound,
	directory.EINVALID:      http.StatusBadRequest,
	directory.ECONFLICT:     http.StatusConflict,
	directory.EUNAUTHORIZED: http.StatusForbidden,
	directory.EINTERNAL:     http.StatusInternalServerError,
	codeUnauthenticated:     http.StatusUnauthorized,
	codeTooLarge:            http.StatusRequestEntityTooLarge,
	codeRateLimited:         http.StatusTooManyRequests,
	codeUnavailable:         http.StatusServiceUnavailable,
}

// Extra codes the web layer uses for conditions only HTTP has.
const (
	codeUnauthenticated = "unauthenticated"
	codeTooLarge        = "too_large"
	codeRateLimited     = "rate_limited"
	codeUnavailable     = "unavailable"
)

// unwritableMessage answers a change the data directory could not store
// because its disk is full or read-only (directory.Unwritable).
const unwritableMessage = "The directory cannot save changes just now because its disk is full or read-only, so nothing was changed. Searching still works. Please try again later, and tell the network coordinator if it lasts."

// errorBody is the JSON shape of every API error.
type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// status returns the HTTP status for err, logging internal errors with
// their cause (never shown to the client).
func status(c *gin.Context, err error) (int, string, string) {
	code, msg := directory.ErrorCode(err), directory.ErrorMessage(err)
	if errors.Is(err, errTooLarge) {
		code = codeTooLarge
	}
	if directory.Unwritable(err) {
		code, msg = codeUnavailable, unwritableMessage
	}
	st, ok := statusOf[code]
	if !ok {
		st = http.StatusInternalServerError
	}
	if st >= 500 {
		logger(c).Error("request failed", "err", err)
	}
	return st, code, msg
}

// apiError answers err as JSON.
func apiError(c *gin.Context, err error) {
	st, code, msg := status(c, err)
	var body errorBody
	body.Error.Code, body.Error.Message = code, msg
	c.AbortWithStatusJSON(st, body)
}

// errTooLarge is returned when a request body is over its limit.
var errTooLarge = &directory.Error{Code: codeTooLarge, Message: "the upload is too large"}

func logger(c *gin.Context) *slog.Logger {
	if l, ok := c.Get(ctxLogger); ok {
		return l.(*slog.Logger)
	}
	return slog.Default()
}
