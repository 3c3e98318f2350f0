package web

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/alexedwards/scs/v2"
	"golang.org/x/time/rate"

	"github.com/testigo-project/testigo"
)

// Session settings: a session lasts at most sessionLifetime and ends after
// sessionIdle without a request.
const (
	sessionLifetime = 12 * time.Hour
	sessionIdle     = 2 * time.Hour
	sessionCookie   = "testigo_session"
	sessionUserKey  = "user"
)

// errForbidden answers a signed-in user whose role does not allow the
// request.
var errForbidden = errors.New("forbidden")

// errCrossOrigin answers a state-changing request from another site.
var errCrossOrigin = errors.New("cross-origin request refused")

// sessionStore adapts a testigo.UserStore to scs's store interfaces.
type sessionStore struct {
	users testigo.UserStore
	now   func() time.Time
}

var _ scs.CtxStore = sessionStore{}

func (s sessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

func (s sessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

func (s sessionStore) Delete(token string) error { return s.DeleteCtx(context.Background(), token) }

func (s sessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	return s.users.FindSession(ctx, token, s.now())
}

func (s sessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	return s.users.CommitSession(ctx, token, b, expiry)
}

func (s sessionStore) DeleteCtx(ctx context.Context, token string) error {
	return s.users.DeleteSession(ctx, token)
}

// newSessions returns the session manager over the user store.
func newSessions(d Deps) *scs.SessionManager {
	sm := scs.New()
	sm.Store = sessionStore{users: d.Users, now: d.Now}
	sm.Lifetime = sessionLifetime
	sm.IdleTimeout = sessionIdle
	sm.Cookie.Name = sessionCookie
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = d.SecureCookies
	sm.Cookie.Path = "/"
	sm.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) {
		d.Logger.Error("session", "request_id", requestIDOf(r), "err", err)
		http.Error(w, "internal error (request "+requestIDOf(r)+")", http.StatusInternalServerError)
	}
	return sm
}

// sessionUser is the signed-in user a page shows and checks.
type sessionUser struct {
	Name string
	Role testigo.Role
}

// currentUser returns the signed-in user of r, or nil. A user disabled or
// removed since signing in counts as signed out.
func (h *handler) currentUser(r *http.Request) *sessionUser {
	if h.sessions == nil {
		return nil
	}
	name := h.sessions.GetString(r.Context(), sessionUserKey)
	if name == "" {
		return nil
	}
	u, err := h.Users.FindUser(r.Context(), name)
	if err != nil || u.Disabled || !u.Role.Valid() {
		return nil
	}
	return &sessionUser{Name: u.Name, Role: u.Role}
}

// requireRole runs fn for a signed-in user whose role allows need. Anyone
// else is sent to the sign-in page (GET) or refused (other methods).
func (h *handler) requireRole(need testigo.Role, fn func(w http.ResponseWriter, r *http.Request, u *sessionUser) error) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		u := h.currentUser(r)
		if u == nil {
			if r.Method == http.MethodGet {
				return &seeOtherError{to: "/login?next=" + url.QueryEscape(r.URL.RequestURI())}
			}
			return fmt.Errorf("%w: %s", testigo.ErrUnauthorized, message(h.lang(r), "Your session has expired; sign in again."))
		}
		if !u.Role.Allows(need) {
			return fmt.Errorf("%w: %s", errForbidden, message(h.lang(r), "You do not have the role this needs."))
		}
		return fn(w, r, u)
	}
}

// seeOtherError asks for a 303 redirect, e.g. to the sign-in page.
type seeOtherError struct{ to string }

func (e *seeOtherError) Error() string { return "see " + e.to }

// loginLimiter limits sign-in attempts per client address and per user
// name, so that passwords cannot be guessed quickly.
type loginLimiter struct {
	mu   sync.Mutex
	keys map[string]*limiterEntry
	now  func() time.Time
}

type limiterEntry struct {
	lim  *rate.Limiter
	last time.Time
}

// Sign-in attempts: a burst of loginBurst, then one every loginEvery.
const (
	loginBurst   = 5
	loginEvery   = 12 * time.Second
	loginMaxKeys = 10000
)

func newLoginLimiter(now func() time.Time) *loginLimiter {
	return &loginLimiter{keys: map[string]*limiterEntry{}, now: now}
}

// allow reports whether another attempt under every key is allowed now,
// spending one from each.
func (l *loginLimiter) allow(keys ...string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.keys) > loginMaxKeys {
		for k, e := range l.keys {
			if now.Sub(e.last) > loginEvery*loginBurst {
				delete(l.keys, k)
			}
		}
	}
	ok := true
	for _, k := range keys {
		e := l.keys[k]
		if e == nil {
			e = &limiterEntry{lim: rate.NewLimiter(rate.Every(loginEvery), loginBurst)}
			l.keys[k] = e
		}
		e.last = now
		if !e.lim.AllowN(now, 1) {
			ok = false
		}
	}
	return ok
}

// clientAddr is the address a request came from, without the port.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// loginPage is the data of the sign-in page.
type loginPage struct {
	Next    string
	Name    string
	Message string
	Enabled bool
}

// safeNext keeps a post-sign-in destination only if it is a path on this
// site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || len(next) > 512 {
		return "/review"
	}
	return next
}

func (h *handler) loginForm(w http.ResponseWriter, r *http.Request) error {
	return h.render(w, r, http.StatusOK, "login", message(h.lang(r), "Sign in"),
		loginPage{Next: safeNext(r.URL.Query().Get("next")), Enabled: h.sessions != nil})
}

// dummyHash is checked against when the user does not exist, so that the
// answer takes as long as for a wrong password.
const dummyHash = "$argon2id$v=19$m=65536,t=3,p=2$c29tZXNhbHRzb21lc2FsdA$MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY"

func (h *handler) login(w http.ResponseWriter, r *http.Request) error {
	if h.sessions == nil {
		return fmt.Errorf("%w: accounts are not enabled on this server", testigo.ErrNotFound)
	}
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if err := r.ParseForm(); err != nil {
		return fmt.Errorf("%w: sign-in form: %v", testigo.ErrInvalid, err)
	}
	lang := h.lang(r)
	name := strings.TrimSpace(r.PostForm.Get("name"))
	password := r.PostForm.Get("password")
	page := loginPage{Next: safeNext(r.PostForm.Get("next")), Name: name, Enabled: true}
	if !h.logins.allow("addr:"+clientAddr(r), "user:"+strings.ToLower(name)) {
		page.Message = message(lang, "Too many sign-in attempts; wait a minute and try again.")
		w.Header().Set("Retry-After", fmt.Sprint(int(loginEvery.Seconds())))
		return h.render(w, r, http.StatusTooManyRequests, "login", message(lang, "Sign in"), page)
	}
	u, err := h.Users.FindUser(r.Context(), name)
	hash := dummyHash
	if err == nil && !u.Disabled && u.PasswordHash != "" {
		hash = u.PasswordHash
	} else if err != nil && !errors.Is(err, testigo.ErrNotFound) {
		return err
	}
	ok, err := CheckPassword(hash, password)
	if err != nil {
		h.Logger.Error("unreadable password hash", "user", name, "err", err)
	}
	if !ok || hash == dummyHash {
		h.Logger.Info("sign-in refused", "request_id", requestIDOf(r), "user", name, "addr", clientAddr(r))
		page.Message = message(lang, "Wrong username or password.")
		return h.render(w, r, http.StatusUnauthorized, "login", message(lang, "Sign in"), page)
	}
	if err := h.sessions.RenewToken(r.Context()); err != nil {
		return fmt.Errorf("renew session: %w", err)
	}
	h.sessions.Put(r.Context(), sessionUserKey, u.Name)
	h.Logger.Info("signed in", "request_id", requestIDOf(r), "user", u.Name)
	if page.Next == "/review" && !u.Role.Allows(testigo.RoleAnalyst) {
		page.Next = "/" // viewers have no queue
	}
	return &seeOtherError{to: page.Next}
}

func (h *handler) logout(w http.ResponseWriter, r *http.Request) error {
	if h.sessions != nil {
		if err := h.sessions.Destroy(r.Context()); err != nil {
			return fmt.Errorf("end session: %w", err)
		}
	}
	return &seeOtherError{to: "/"}
}

// UserTokens checks API tokens against a user store: the token must be
// known, not revoked, and belong to an enabled analyst or admin.
type UserTokens struct {
	Users testigo.UserStore
}

// Check returns the name of the token's user.
func (t UserTokens) Check(ctx context.Context, token string) (string, error) {
	tok, u, err := t.Users.FindAPIToken(ctx, HashAPIToken(token))
	if errors.Is(err, testigo.ErrNotFound) {
		return "", fmt.Errorf("%w: unknown API token", testigo.ErrUnauthorized)
	}
	if err != nil {
		return "", err
	}
	if !tok.RevokedAt.IsZero() || u.Disabled || !u.Role.Allows(testigo.RoleAnalyst) {
		return "", fmt.Errorf("%w: API token revoked or its user may not write", testigo.ErrUnauthorized)
	}
	return u.Name, nil
}
