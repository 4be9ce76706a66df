/* zap: the ZAP handler that admits allow-listed CURVE clients (see transport.h). */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>
#include "undertone/transport.h"

#define ZAP_ENDPOINT    "inproc://zeromq.zap.01"
#define ZAP_FRAMES_MAX  8       /* version .. mechanism + one credential, with room */
#define ZAP_FRAME_MAX   256     /* no field of a CURVE/NULL/PLAIN request is longer */
#define ZAP_POLL_MS     100     /* how often the thread looks at the stop flag */
#define ZAP_NAME_MAX    64      /* allow-list file name kept for logs */

/* Roles: which sockets (ZAP domains) a key may use. */
#define ROLE_FEED    1u          /* ingest: allow-list dir "feeds/" */
#define ROLE_CONSOLE 2u          /* feed and requests: "consoles/" */
#define ROLE_ALL     (ROLE_FEED | ROLE_CONSOLE)   /* the directory itself */

struct zap_key {
	unsigned char key[32];
	unsigned roles;
	char name[ZAP_NAME_MAX];
};

static const struct { const char *sub; unsigned role; } zap_dirs[] = {
	{ "", ROLE_ALL }, { "feeds/", ROLE_FEED }, { "consoles/", ROLE_CONSOLE },
};

struct zap_list {
	struct zap_key *k;
	size_t n;
};

struct transport_zap {
	void *ctx;
	void *rep;                  /* used only by the thread once it runs */
	void *mon[TRANSPORT_ZAP_WATCH_MAX]; /* monitor PAIRs, handed over under lock */
	unsigned nmon;
	pthread_t thread;
	atomic_bool stop;
	pthread_mutex_t lock;       /* guards list and st */
	struct zap_list list;
	struct transport_zap_stats st;
	char dir[1024];
	FILE *log;
	int64_t log_window_ms;
	unsigned log_in_window;
	uint64_t log_suppressed;
};

/* ---- the allow-list ---- */

static int
key_cmp(const void *a, const void *b)
{
	return memcmp(((const struct zap_key *)a)->key, ((const struct zap_key *)b)->key, 32);
}

static void __attribute__((format(printf, 2, 3)))
zap_log(struct transport_zap *z, const char *fmt, ...)
{
	va_list ap;

	if (z->log == NULL)
		return;
	va_start(ap, fmt);
	vfprintf(z->log, fmt, ap);
	va_end(ap);
	fflush(z->log);
}

/* Read one allow-list file into k; false (logged) if it holds no public key. */
static bool
read_entry(struct transport_zap *z, const char *sub, const char *name, unsigned roles,
    struct zap_key *k)
{
	char path[1400], pub[TRANSPORT_KEY_Z85_LEN + 1], err[256];

	snprintf(path, sizeof(path), "%s/%s%s", z->dir, sub, name);
	if (transport_cert_load(path, pub, NULL, err, sizeof(err)) != TRANSPORT_CERT_OK) {
		zap_log(z, "undertone: allow-list: skipped %s\n", err);
		return false;
	}
	transport_key_decode(pub, k->key);
	k->roles = roles;
	snprintf(k->name, sizeof(k->name), "%.9s%.50s", sub, name);
	for (char *c = k->name; *c != '\0'; c++)   /* file names reach the log */
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	return true;
}

static bool
skip_name(const struct dirent *de)
{
	return de->d_name[0] == '.' || (de->d_type != DT_REG && de->d_type != DT_UNKNOWN &&
	    de->d_type != DT_LNK);
}

/* Add the keys of one directory (sub "" is the allow-list itself). A
 * missing role subdirectory is fine; a missing allow-list is an error. */
static int
read_dir(struct transport_zap *z, const char *sub, unsigned roles, struct zap_list *out,
    char *err, size_t errlen)
{
	char path[1200];
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "%s/%s", z->dir, sub);
	if ((d = opendir(path)) == NULL) {
		if (sub[0] != '\0' && errno == ENOENT)
			return 0;
		snprintf(err, errlen, "allow-list %s: %s", path, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (skip_name(de))
			continue;
		if (out->n == TRANSPORT_ZAP_KEYS_MAX) {
			zap_log(z, "undertone: allow-list %s: more than %d keys; the rest ignored\n",
			    z->dir, TRANSPORT_ZAP_KEYS_MAX);
			break;
		}
		if (read_entry(z, sub, de->d_name, roles, &out->k[out->n]))
			out->n++;
	}
	closedir(d);
	return 0;
}

/* Sort by key and merge duplicates (a key in two places gets both roles). */
static void
list_merge(struct zap_list *l)
{
	size_t i, n = 0;

	qsort(l->k, l->n, sizeof(*l->k), key_cmp);
	for (i = 0; i < l->n; i++) {
		if (n > 0 && memcmp(l->k[n - 1].key, l->k[i].key, 32) == 0)
			l->k[n - 1].roles |= l->k[i].roles;
		else
			l->k[n++] = l->k[i];
	}
	l->n = n;
}

static int
list_read(struct transport_zap *z, struct zap_list *out, char *err, size_t errlen)
{
	size_t i;

	out->n = 0;
	out->k = calloc(TRANSPORT_ZAP_KEYS_MAX, sizeof(*out->k));
	if (out->k == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < sizeof(zap_dirs) / sizeof(zap_dirs[0]); i++)
		if (read_dir(z, zap_dirs[i].sub, zap_dirs[i].role, out, err, errlen) != 0)
			return -1;
	list_merge(out);
	return 0;
}

static const struct zap_key *
list_find(const struct zap_list *l, const unsigned char key[32])
{
	struct zap_key probe;

	memcpy(probe.key, key, 32);
	return l->n ? bsearch(&probe, l->k, l->n, sizeof(*l->k), key_cmp) : NULL;
}

/* Log what a reload changed: keys only in a are "removed", only in b "added". */
static unsigned
log_diff(struct transport_zap *z, const struct zap_list *a, const struct zap_list *b,
    const char *what)
{
	char z85[TRANSPORT_KEY_Z85_LEN + 1];
	unsigned n = 0;
	size_t i;

	for (i = 0; i < a->n; i++) {
		const struct zap_key *same = list_find(b, a->k[i].key);
		if (same != NULL && same->roles == a->k[i].roles)
			continue;
		zmq_z85_encode(z85, a->k[i].key, 32);
		zap_log(z, "undertone: allow-list: %s %s (%s)\n", what, a->k[i].name, z85);
		n++;
	}
	return n;
}

int
transport_zap_reload(struct transport_zap *z, char *err, size_t errlen)
{
	struct zap_list fresh, old;
	unsigned added, removed;

	if (list_read(z, &fresh, err, errlen) != 0) {
		free(fresh.k);
		return -1;
	}
	pthread_mutex_lock(&z->lock);
	old = z->list;
	z->list = fresh;
	z->st.keys = (unsigned)fresh.n;
	z->st.reloads++;
	pthread_mutex_unlock(&z->lock);
	removed = log_diff(z, &old, &fresh, "removed");
	added = log_diff(z, &fresh, &old, "added");
	zap_log(z, "undertone: allow-list %s: %zu keys (%u added, %u removed)\n",
	    z->dir, fresh.n, added, removed);
	free(old.k);
	return 0;
}

/* ---- the handler ---- */

struct zap_req {
	unsigned n;
	size_t len[ZAP_FRAMES_MAX];
	unsigned char f[ZAP_FRAMES_MAX][ZAP_FRAME_MAX];
	bool overflow;
};

/* Receive one request; oversized frames or too many frames mark overflow
 * (the whole message is still drained so the REP socket stays in step). */
static int
recv_req(void *rep, struct zap_req *r)
{
	int more = 1;

	r->n = 0;
	r->overflow = false;
	while (more) {
		zmq_msg_t m;
		zmq_msg_init(&m);
		if (zmq_msg_recv(&m, rep, 0) < 0) {
			zmq_msg_close(&m);
			return -1;
		}
		if (r->n < ZAP_FRAMES_MAX && zmq_msg_size(&m) <= ZAP_FRAME_MAX) {
			r->len[r->n] = zmq_msg_size(&m);
			memcpy(r->f[r->n], zmq_msg_data(&m), r->len[r->n]);
			r->n++;
		} else {
			r->overflow = true;
		}
		more = zmq_msg_more(&m);
		zmq_msg_close(&m);
	}
	return 0;
}

static bool
frame_is(const struct zap_req *r, unsigned i, const char *s)
{
	return i < r->n && r->len[i] == strlen(s) && memcmp(r->f[i], s, r->len[i]) == 0;
}

static void
send_reply(void *rep, const struct zap_req *r, const char *code, const char *text,
    const char *user)
{
	const unsigned char *id = r->n > 1 ? r->f[1] : (const unsigned char *)"";
	size_t idlen = r->n > 1 ? r->len[1] : 0;

	zmq_send(rep, "1.0", 3, ZMQ_SNDMORE);
	zmq_send(rep, id, idlen, ZMQ_SNDMORE);
	zmq_send(rep, code, strlen(code), ZMQ_SNDMORE);
	zmq_send(rep, text, strlen(text), ZMQ_SNDMORE);
	zmq_send(rep, user, strlen(user), ZMQ_SNDMORE);
	zmq_send(rep, "", 0, 0);
}

/* At most TRANSPORT_ZAP_LOG_PER_S refusal lines per second. */
/* Once a second is over, say how many refusals it left out and start the
 * next one. Called per refusal and on every idle poll, so the count is
 * written even when the refusals stop (a libzmq client does not retry
 * after a protocol error: its one refusal may be the suppressed one). */
static void
log_window_roll(struct transport_zap *z, int64_t now)
{
	if (now - z->log_window_ms < 1000)
		return;
	if (z->log_suppressed > 0) {
		fprintf(z->log, "undertone: zap: %llu more refusals not logged\n",
		    (unsigned long long)z->log_suppressed);
		fflush(z->log);
	}
	z->log_window_ms = now;
	z->log_in_window = 0;
	z->log_suppressed = 0;
}

static bool
log_allowed(struct transport_zap *z)
{
	if (z->log == NULL)
		return false;
	log_window_roll(z, transport_now_ms());
	if (z->log_in_window >= TRANSPORT_ZAP_LOG_PER_S) {
		z->log_suppressed++;
		return false;
	}
	z->log_in_window++;
	return true;
}

/* Printable copy of a request frame for the log (peer address, mechanism). */
static void
printable(const struct zap_req *r, unsigned i, char *out, size_t cap)
{
	size_t j, n = i < r->n ? r->len[i] : 0;

	for (j = 0; j < n && j + 1 < cap; j++)
		out[j] = r->f[i][j] >= 0x20 && r->f[i][j] < 0x7f ? (char)r->f[i][j] : '?';
	out[j] = '\0';
}

static void
refuse(struct transport_zap *z, void *rep, const struct zap_req *r, const char *code,
    const char *why, uint64_t *counter)
{
	char addr[64], mech[16], key[TRANSPORT_KEY_Z85_LEN + 1] = "-";

	pthread_mutex_lock(&z->lock);
	(*counter)++;
	pthread_mutex_unlock(&z->lock);
	send_reply(rep, r, code, why, "");
	if (!log_allowed(z))
		return;
	printable(r, 3, addr, sizeof(addr));
	printable(r, 5, mech, sizeof(mech));
	if (frame_is(r, 5, "CURVE") && r->n == 7 && r->len[6] == 32)
		zmq_z85_encode(key, r->f[6], 32);
	fprintf(z->log, "undertone: zap: refused %s client from %s key %s: %s\n",
	    mech[0] ? mech : "?", addr[0] ? addr : "?", key, why);
	fflush(z->log);
}

/* The role a socket's domain needs (the generic domain: any role). */
static unsigned
domain_role(const struct zap_req *r)
{
	if (frame_is(r, 2, TRANSPORT_ZAP_DOMAIN_INGEST))
		return ROLE_FEED;
	if (frame_is(r, 2, TRANSPORT_ZAP_DOMAIN_CONSOLE))
		return ROLE_CONSOLE;
	return ROLE_ALL;
}

static void
handle(struct transport_zap *z, void *rep, const struct zap_req *r)
{
	const struct zap_key *k;
	char user[ZAP_NAME_MAX];

	if (r->overflow || r->n < 6 || !frame_is(r, 0, "1.0")) {
		refuse(z, rep, r, "500", "malformed ZAP request", &z->st.malformed);
		return;
	}
	if (!frame_is(r, 2, TRANSPORT_ZAP_DOMAIN) && !frame_is(r, 2, TRANSPORT_ZAP_DOMAIN_INGEST) &&
	    !frame_is(r, 2, TRANSPORT_ZAP_DOMAIN_CONSOLE)) {
		refuse(z, rep, r, "400", "unknown ZAP domain", &z->st.refused_mechanism);
		return;
	}
	if (!frame_is(r, 5, "CURVE")) {
		refuse(z, rep, r, "400", "only CURVE clients are admitted", &z->st.refused_mechanism);
		return;
	}
	if (r->n != 7 || r->len[6] != 32) {
		refuse(z, rep, r, "500", "malformed CURVE credentials", &z->st.malformed);
		return;
	}
	pthread_mutex_lock(&z->lock);
	k = list_find(&z->list, r->f[6]);
	if (k != NULL && (k->roles & domain_role(r)) == 0) {
		pthread_mutex_unlock(&z->lock);
		refuse(z, rep, r, "400", "key not allowed on this socket", &z->st.refused_key);
		return;
	}
	if (k != NULL) {
		snprintf(user, sizeof(user), "%s", k->name);
		z->st.admitted++;
	}
	pthread_mutex_unlock(&z->lock);
	if (k == NULL) {
		refuse(z, rep, r, "400", "key not in the allow-list", &z->st.refused_key);
		return;
	}
	send_reply(rep, r, "200", "OK", user);
}

/* One monitor event: frame 1 is u16 event + u32 value, frame 2 the endpoint. */
static void
on_monitor(struct transport_zap *z, void *mon)
{
	unsigned char ev[6] = { 0 };
	char ep[96] = "";
	zmq_msg_t m;
	int more, i = 0;
	uint16_t event;
	uint32_t value;

	do {
		zmq_msg_init(&m);
		if (zmq_msg_recv(&m, mon, 0) < 0) {
			zmq_msg_close(&m);
			return;
		}
		if (i == 0 && zmq_msg_size(&m) == 6)
			memcpy(ev, zmq_msg_data(&m), 6);
		else if (i == 1)
			snprintf(ep, sizeof(ep), "%.*s", (int)(zmq_msg_size(&m) < 95 ? zmq_msg_size(&m) : 95),
			    (const char *)zmq_msg_data(&m));
		more = zmq_msg_more(&m);
		zmq_msg_close(&m);
		i++;
	} while (more);
	memcpy(&event, ev, 2);
	memcpy(&value, ev + 2, 4);
	pthread_mutex_lock(&z->lock);
	z->st.handshake_failed++;
	pthread_mutex_unlock(&z->lock);
	if (log_allowed(z)) {
		fprintf(z->log, "undertone: zap: refused a client on %s: handshake failed (%s 0x%x)\n",
		    ep, value == ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH ?
		    "not CURVE: plaintext or another mechanism," : "protocol error", (unsigned)value);
		fflush(z->log);
	}
	(void)event;
}

static void *
zap_thread(void *arg)
{
	struct transport_zap *z = arg;
	struct zap_req *r = malloc(sizeof(*r));
	zmq_pollitem_t it[1 + TRANSPORT_ZAP_WATCH_MAX];
	unsigned i, nmon;

	while (r != NULL && !atomic_load(&z->stop)) {
		pthread_mutex_lock(&z->lock);   /* also the hand-over fence for mon[] */
		nmon = z->nmon;
		for (i = 0; i < nmon; i++)
			it[1 + i] = (zmq_pollitem_t){ z->mon[i], 0, ZMQ_POLLIN, 0 };
		pthread_mutex_unlock(&z->lock);
		it[0] = (zmq_pollitem_t){ z->rep, 0, ZMQ_POLLIN, 0 };
		int n = zmq_poll(it, (int)(1 + nmon), ZAP_POLL_MS);
		if (n < 0 && zmq_errno() == ETERM)
			break;
		if (n <= 0) {
			if (z->log != NULL && z->log_suppressed > 0)
				log_window_roll(z, transport_now_ms());
			continue;
		}
		if ((it[0].revents & ZMQ_POLLIN) && recv_req(z->rep, r) == 0)
			handle(z, z->rep, r);
		for (i = 0; i < nmon; i++)
			if (it[1 + i].revents & ZMQ_POLLIN)
				on_monitor(z, z->mon[i]);
	}
	free(r);
	zmq_close(z->rep);
	for (i = 0; i < z->nmon; i++)
		zmq_close(z->mon[i]);
	return NULL;
}

int
transport_zap_watch(struct transport_zap *z, struct transport_sock *s, char *err, size_t errlen)
{
	static atomic_uint seq;
	char ep[64];
	void *pair;
	int linger = 0;

	if (z->nmon >= TRANSPORT_ZAP_WATCH_MAX) {
		snprintf(err, errlen, "too many watched sockets");
		return -1;
	}
	snprintf(ep, sizeof(ep), "inproc://undertone.zap.monitor.%u", atomic_fetch_add(&seq, 1));
	/* Not FAILED_AUTH (ZAP refusals, counted by the handler) nor NO_DETAIL
	 * (the peer going away, e.g. after such a refusal). */
	if (transport_monitor(s, ep, ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL) != 0) {
		snprintf(err, errlen, "socket monitor: %s", zmq_strerror(zmq_errno()));
		return -1;
	}
	pair = zmq_socket(z->ctx, ZMQ_PAIR);
	if (pair == NULL || zmq_setsockopt(pair, ZMQ_LINGER, &linger, sizeof(linger)) != 0 ||
	    zmq_connect(pair, ep) != 0) {
		snprintf(err, errlen, "socket monitor %s: %s", ep, zmq_strerror(zmq_errno()));
		if (pair != NULL)
			zmq_close(pair);
		transport_monitor(s, NULL, 0);
		return -1;
	}
	pthread_mutex_lock(&z->lock);
	z->mon[z->nmon++] = pair;
	pthread_mutex_unlock(&z->lock);
	return 0;
}

struct transport_zap *
transport_zap_start(struct transport *t, const char *allow_dir, FILE *log, char *err,
    size_t errlen)
{
	struct transport_zap *z = calloc(1, sizeof(*z));
	int linger = 0;

	if (z == NULL || strlen(allow_dir) >= sizeof(z->dir)) {
		snprintf(err, errlen, z ? "allow-list path too long" : "out of memory");
		free(z);
		return NULL;
	}
	snprintf(z->dir, sizeof(z->dir), "%s", allow_dir);
	z->log = log;
	z->ctx = transport_zmq_context(t);
	atomic_init(&z->stop, false);
	pthread_mutex_init(&z->lock, NULL);
	if (transport_zap_reload(z, err, errlen) != 0)
		goto fail;
	z->rep = zmq_socket(transport_zmq_context(t), ZMQ_REP);
	if (z->rep == NULL || zmq_setsockopt(z->rep, ZMQ_LINGER, &linger, sizeof(linger)) != 0 ||
	    zmq_bind(z->rep, ZAP_ENDPOINT) != 0) {
		snprintf(err, errlen, "ZAP handler %s: %s", ZAP_ENDPOINT, zmq_strerror(zmq_errno()));
		goto fail;
	}
	if (pthread_create(&z->thread, NULL, zap_thread, z) != 0) {
		snprintf(err, errlen, "ZAP handler thread: %s", strerror(errno));
		goto fail;
	}
	return z;
fail:
	if (z->rep != NULL)
		zmq_close(z->rep);
	pthread_mutex_destroy(&z->lock);
	free(z->list.k);
	free(z);
	return NULL;
}

void
transport_zap_stats(struct transport_zap *z, struct transport_zap_stats *st)
{
	pthread_mutex_lock(&z->lock);
	*st = z->st;
	pthread_mutex_unlock(&z->lock);
}

void
transport_zap_stop(struct transport_zap *z)
{
	if (z == NULL)
		return;
	atomic_store(&z->stop, true);
	pthread_join(z->thread, NULL);
	pthread_mutex_destroy(&z->lock);
	free(z->list.k);
	free(z);
}
