/* Unit tests for dstore under faults: a test VFS that injects SQLITE_FULL
 * on writes, a writer holding the lock (busy retry within the timeout), and
 * several processes appending at once. */
#include <sys/wait.h>
#include <signal.h>
#include "dstore_fixture.h"

/* ---- a pass-through VFS whose writes fail with SQLITE_FULL on demand ---- */

static sqlite3_vfs *real_vfs;
static sqlite3_vfs full_vfs;
static sqlite3_io_methods full_io;
static int disk_full;

struct shim { sqlite3_file base; sqlite3_file *real; };

#define REAL(f) (((struct shim *)(f))->real)

static int s_close(sqlite3_file *f) { int rc = REAL(f)->pMethods->xClose(REAL(f)); return rc; }
static int s_read(sqlite3_file *f, void *b, int n, sqlite3_int64 o) { return REAL(f)->pMethods->xRead(REAL(f), b, n, o); }
static int
s_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 o)
{
	return disk_full ? SQLITE_FULL : REAL(f)->pMethods->xWrite(REAL(f), b, n, o);
}
static int s_truncate(sqlite3_file *f, sqlite3_int64 sz) { return REAL(f)->pMethods->xTruncate(REAL(f), sz); }
static int s_sync(sqlite3_file *f, int fl) { return REAL(f)->pMethods->xSync(REAL(f), fl); }
static int s_size(sqlite3_file *f, sqlite3_int64 *sz) { return REAL(f)->pMethods->xFileSize(REAL(f), sz); }
static int s_lock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xLock(REAL(f), l); }
static int s_unlock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xUnlock(REAL(f), l); }
static int s_reserved(sqlite3_file *f, int *r) { return REAL(f)->pMethods->xCheckReservedLock(REAL(f), r); }
static int s_fcntl(sqlite3_file *f, int op, void *a) { return REAL(f)->pMethods->xFileControl(REAL(f), op, a); }
static int s_sector(sqlite3_file *f) { return REAL(f)->pMethods->xSectorSize(REAL(f)); }
static int s_dev(sqlite3_file *f) { return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f)); }
static int s_shmmap(sqlite3_file *f, int p, int sz, int e, void volatile **pp) { return REAL(f)->pMethods->xShmMap(REAL(f), p, sz, e, pp); }
static int s_shmlock(sqlite3_file *f, int o, int n, int fl) { return REAL(f)->pMethods->xShmLock(REAL(f), o, n, fl); }
static void s_shmbarrier(sqlite3_file *f) { REAL(f)->pMethods->xShmBarrier(REAL(f)); }
static int s_shmunmap(sqlite3_file *f, int d) { return REAL(f)->pMethods->xShmUnmap(REAL(f), d); }

static int
s_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
	struct shim *s = (struct shim *)f;
	int rc;

	(void)vfs;
	s->real = (sqlite3_file *)(s + 1);
	rc = real_vfs->xOpen(real_vfs, name, s->real, flags, out);
	s->base.pMethods = (rc == SQLITE_OK && s->real->pMethods) ? &full_io : NULL;
	return rc;
}

static int s_delete(sqlite3_vfs *v, const char *n, int d) { (void)v; return real_vfs->xDelete(real_vfs, n, d); }
static int s_access(sqlite3_vfs *v, const char *n, int fl, int *o) { (void)v; return real_vfs->xAccess(real_vfs, n, fl, o); }
static int s_full(sqlite3_vfs *v, const char *n, int k, char *o) { (void)v; return real_vfs->xFullPathname(real_vfs, n, k, o); }
static int s_rand(sqlite3_vfs *v, int n, char *o) { (void)v; return real_vfs->xRandomness(real_vfs, n, o); }
static int s_sleep(sqlite3_vfs *v, int us) { (void)v; return real_vfs->xSleep(real_vfs, us); }
static int s_time(sqlite3_vfs *v, double *t) { (void)v; return real_vfs->xCurrentTime(real_vfs, t); }
static int s_err(sqlite3_vfs *v, int n, char *o) { (void)v; return real_vfs->xGetLastError(real_vfs, n, o); }
static int s_time64(sqlite3_vfs *v, sqlite3_int64 *t) { (void)v; return real_vfs->xCurrentTimeInt64(real_vfs, t); }

static void
install_full_vfs(void)
{
	real_vfs = sqlite3_vfs_find(NULL);
	full_io = (sqlite3_io_methods){ 2, s_close, s_read, s_write, s_truncate, s_sync, s_size,
	    s_lock, s_unlock, s_reserved, s_fcntl, s_sector, s_dev, s_shmmap, s_shmlock,
	    s_shmbarrier, s_shmunmap, NULL, NULL };
	full_vfs = (sqlite3_vfs){ 1, (int)sizeof(struct shim) + real_vfs->szOsFile,
	    real_vfs->mxPathname, NULL, "fullvfs", NULL, s_open, s_delete, s_access, s_full,
	    NULL, NULL, NULL, NULL, s_rand, s_sleep, s_time, s_err, NULL, NULL, NULL, NULL };
	full_vfs.iVersion = 2;
	full_vfs.xCurrentTimeInt64 = s_time64;
	ck_assert_int_eq(sqlite3_vfs_register(&full_vfs, 1), SQLITE_OK);
}

START_TEST(disk_full_is_reported_and_retried)
{
	struct dstore *st;
	struct dstore_record r;
	struct dstore_verify_result vr;
	int rc, i;

	install_full_vfs();
	st = fx_open(0);
	fx_fill(st, 3);
	disk_full = 1;
	fx_record(&r, 10, UT_DE_ACCEPT);
	for (i = 0; i < 3; i++) {      /* a console retrying while the disk is full */
		rc = dstore_append(st, &r);
		ck_assert_int_eq(rc, DSTORE_EFULL);
		ck_assert(dstore_err_retryable(rc));
		ck_assert_ptr_nonnull(strstr(dstore_errmsg(st), "full"));
	}
	disk_full = 0;
	ck_assert_int_eq(dstore_append(st, &r), DSTORE_OK);   /* same record, same UUID */
	ck_assert_int_eq(r.seq, 4);
	ck_assert_int_eq(dstore_verify(st, &vr), DSTORE_OK);
	ck_assert_int_eq(vr.records, 4);
	dstore_close(st);
	sqlite3_vfs_unregister(&full_vfs);
}
END_TEST

/* ---- locking ---- */

static char ready[420];

static void
touch_ready(void)
{
	FILE *f = fopen(ready, "w");

	if (f != NULL)
		fclose(f);
}

/* A child process takes the write lock and keeps it for ms milliseconds. */
static pid_t
hold_lock(int ms)
{
	pid_t pid = fork();
	sqlite3 *db;

	snprintf(ready, sizeof(ready), "%s/ready", fx_dir);
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (sqlite3_open(fx_db, &db) != SQLITE_OK ||
		    sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
			_exit(1);
		touch_ready();
		usleep((useconds_t)ms * 1000);
		sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
		sqlite3_close(db);
		_exit(0);
	}
	while (access(ready, F_OK) != 0)
		usleep(1000);
	unlink(ready);
	return pid;
}

START_TEST(busy_retried_within_timeout)
{
	struct dstore *st = fx_open(0);
	struct dstore_record r;
	pid_t pid;
	int status;

	fx_fill(st, 1);
	pid = hold_lock(300);
	dstore_set_busy_timeout(st, 3000);
	fx_record(&r, 2, UT_DE_ACCEPT);
	ck_assert_int_eq(dstore_append(st, &r), DSTORE_OK);   /* waited for the lock */
	waitpid(pid, &status, 0);
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	pid = hold_lock(1500);
	dstore_set_busy_timeout(st, 100);
	fx_record(&r, 3, UT_DE_ACCEPT);
	ck_assert_int_eq(dstore_append(st, &r), DSTORE_EBUSY);
	ck_assert(dstore_err_retryable(DSTORE_EBUSY));
	waitpid(pid, &status, 0);
	ck_assert_int_eq(dstore_append(st, &r), DSTORE_OK);
	dstore_close(st);
}
END_TEST

/* ---- concurrency: several processes append at once ---- */

#define WRITERS 4
#define PER_WRITER 40

START_TEST(concurrent_writers_lose_nothing)
{
	struct dstore *st;
	struct dstore_verify_result vr;
	struct dstore_record r;
	struct dstore_filter f;
	struct dstore_record *v;
	pid_t pids[WRITERS];
	size_t n;
	int w, i, status;

	st = fx_open(0);    /* create before forking */
	dstore_close(st);
	for (w = 0; w < WRITERS; w++) {
		pids[w] = fork();
		ck_assert_int_ge(pids[w], 0);
		if (pids[w] == 0) {
			char err[256];
			if (dstore_open(fx_db, 0, &st, err, sizeof(err)) != DSTORE_OK)
				_exit(2);
			dstore_set_busy_timeout(st, 20000);
			for (i = 0; i < PER_WRITER; i++) {
				fx_record(&r, i, UT_DE_ACCEPT);
				snprintf(r.agent, sizeof(r.agent), "writer-%d", w);
				if (dstore_append(st, &r) != DSTORE_OK)
					_exit(3);
			}
			dstore_close(st);
			_exit(0);
		}
	}
	for (w = 0; w < WRITERS; w++) {
		ck_assert_int_eq(waitpid(pids[w], &status, 0), pids[w]);
		ck_assert_int_eq(WEXITSTATUS(status), 0);
	}
	st = fx_open(DSTORE_READONLY);
	ck_assert_int_eq(dstore_verify(st, &vr), DSTORE_OK);
	ck_assert_int_eq(vr.records, WRITERS * PER_WRITER);
	dstore_filter_init(&f);
	f.agent = "writer-2";
	ck_assert_int_eq(dstore_list(st, &f, &v, &n), DSTORE_OK);
	ck_assert_uint_eq(n, PER_WRITER);
	free(v);
	dstore_close(st);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("dstore_faults");
	TCase *t = tcase_create("faults");

	tcase_add_checked_fixture(t, fx_setup, fx_teardown);
	tcase_set_timeout(t, 60);
	tcase_add_test(t, disk_full_is_reported_and_retried);
	tcase_add_test(t, busy_retried_within_timeout);
	tcase_add_test(t, concurrent_writers_lose_nothing);
	suite_add_tcase(s, t);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
