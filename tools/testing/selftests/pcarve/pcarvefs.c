// SPDX-License-Identifier: GPL-2.0
/*
 * pcarvefs from user space: mounts and tenants, the tree, permissions,
 * sizes and chunks, the attribute ioctls, mmap (faults, sharing, GUP),
 * read/write, zeroing between tenants, unlink while mapped, a random
 * stress of 8 processes, and the touch of a file next to hugetlbfs.
 *
 * The pools come from the environment: PCARVEFS_NOMAP, PCARVEFS_MAP and
 * PCARVEFS_HVO name the node of a nomap, a map and an hvo pool (an unset
 * one is skipped), PCARVEFS_NOPOOL a node without a pool, PCARVEFS_HUGE
 * the hugetlbfs page size to compare with (bytes; unset: no comparison),
 * PCARVEFS_STRESS_SECS how long the stress runs.
 */
#define _GNU_SOURCE	/* mremap() in a libc */
#include "pcarve_util.h"
#include "kselftest_harness.h"
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <asm-generic/statfs.h>	/* statfs(): nolibc has no sys/statfs.h */
#include <linux/falloc.h>
#include <linux/pcarvefs.h>

/*
 * Tests that zero and stamp whole 2 GiB pools (three of them) or run the
 * 20 s stress take longer than the harness's 30 s under TCG on a busy
 * host: give every test 300 s.  TEST() expands the default where it is
 * used, below.
 */
#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT	300

#define SZ_2M		0x200000ULL
#define SZ_64M		0x4000000ULL
#define SZ_1G		0x40000000ULL
#define PAGE		4096ULL
#define NOBODY		65534
#define MNT		"/tmp/pcarvefs"

#ifndef AT_FDCWD
#define AT_FDCWD	-100
#endif

static long long node_of(const char *env)
{
	return env_num(env);
}

static long long pool_num(long long nid, const char *file)
{
	char path[96];

	snprintf(path, sizeof(path), PCARVE_SYS "/node%lld/%s", nid, file);
	return read_num(path);
}

/* the pool's free bytes once freed chunks are back (restore work) */
static long long pool_free_settled(long long nid, long long want)
{
	long long v = -1;
	int i;

	for (i = 0; i < 100; i++) {
		v = pool_num(nid, "free");
		if (v == want)
			break;
		usleep(50000);
	}
	return v;
}

/* mount node @nid (with more options) at MNT/@name; 0 or -errno */
static int mnt(const char *name, long long nid, const char *opts)
{
	char dir[96], data[160];

	snprintf(dir, sizeof(dir), MNT "/%s", name);
	mkdir(MNT, 0755);
	mkdir(dir, 0755);
	snprintf(data, sizeof(data), "node=%lld%s%s", nid, *opts ? "," : "",
		 opts);
	return mount("none", dir, "pcarvefs", 0, data) ? -errno : 0;
}

static void umnt(const char *name)
{
	char dir[96];

	snprintf(dir, sizeof(dir), MNT "/%s", name);
	umount2(dir, 0);
	rmdir(dir);
}

static const char *at(const char *name, const char *file)
{
	static char path[4][160];
	static int i;

	i = (i + 1) % 4;
	snprintf(path[i], sizeof(path[i]), MNT "/%s/%s", name, file);
	return path[i];
}

static int xfallocate(int fd, int mode, off_t off, off_t len)
{
	return syscall(__NR_fallocate, fd, mode, off, len);
}

static int xstatfs(const char *path, struct statfs *st)
{
	return syscall(__NR_statfs, path, st);
}

static int xrename(const char *from, const char *to)
{
	return syscall(__NR_renameat2, AT_FDCWD, from, AT_FDCWD, to, 0);
}

static int become(unsigned int uid)
{
	if (syscall(__NR_setgid, uid) || syscall(__NR_setuid, uid))
		return -1;
	return 0;
}

static long minflt(void)
{
	struct rusage ru;

	syscall(__NR_getrusage, RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

/* monotonic time in microseconds (nolibc prints no floating point) */
static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static int get_attr(int fd, struct pcarvefs_attr *a)
{
	return ioctl(fd, PCARVEFS_IOC_GET_ATTR, a);
}

/* run @fn in a child; its exit status (0 = success) */
static int in_child(int (*fn)(void *), void *arg)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		exit(fn(arg));
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* each page gets a word of @seed at its start and end */
static void stamp(char *p, unsigned long long len, unsigned long long seed)
{
	unsigned long long off;

	for (off = 0; off < len; off += PAGE) {
		*(unsigned long long *)(p + off) = seed ^ off;
		*(unsigned long long *)(p + off + PAGE - 8) = ~(seed ^ off);
	}
}

/* the offset of the first page without @seed's stamp, or -1 */
static long long stamped(const char *p, unsigned long long len,
			 unsigned long long seed)
{
	unsigned long long off;

	for (off = 0; off < len; off += PAGE)
		if (*(unsigned long long *)(p + off) != (seed ^ off) ||
		    *(unsigned long long *)(p + off + PAGE - 8) != ~(seed ^ off))
			return off;
	return -1;
}

/* the offset of the first non-zero stamp word, or -1 */
static long long zeroed(const char *p, unsigned long long len)
{
	unsigned long long off;

	for (off = 0; off < len; off += PAGE)
		if (*(unsigned long long *)(p + off) ||
		    *(unsigned long long *)(p + off + PAGE - 8))
			return off;
	return -1;
}

struct pools {
	long long nid[3];
	const char *name[3];
	int nr;
};

static void pools(struct pools *p)
{
	static const char *const env[] = {
		"PCARVEFS_NOMAP", "PCARVEFS_MAP", "PCARVEFS_HVO"
	};
	static const char *const name[] = { "nomap", "map", "hvo" };
	int i;

	p->nr = 0;
	for (i = 0; i < 3; i++) {
		if (node_of(env[i]) < 0)
			continue;
		p->nid[p->nr] = node_of(env[i]);
		p->name[p->nr] = name[i];
		p->nr++;
	}
}

/*
 * @want rounded to the unit the pool's files take: 2 MiB on a nomap pool,
 * the granule on a pool whose files are mapped by folio
 */
static unsigned long long file_size(long long nid, unsigned long long want)
{
	char path[96], mode[16] = "";
	unsigned long long g = pool_num(nid, "granule");

	snprintf(path, sizeof(path), PCARVE_SYS "/node%lld/mode", nid);
	read_word(path, mode, sizeof(mode));
	if (!strcmp(mode, "nomap"))
		g = SZ_2M;

	return (want + g - 1) / g * g;
}

/* bad options fail with the errno of the problem; only root mounts */
TEST(mount_options)
{
	long long nid = node_of("PCARVEFS_NOMAP"), nopool;
	long long size = pool_num(nid, "size");
	char opts[64];

	ASSERT_LE(0, nid) TH_LOG("PCARVEFS_NOMAP not set");
	nopool = node_of("PCARVEFS_NOPOOL");
	mkdir(MNT, 0755);
	mkdir(MNT "/bad", 0755);
	EXPECT_EQ(-1, mount("none", MNT "/bad", "pcarvefs", 0, "size=2M"));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-EINVAL, mnt("bad", nid, "bogus=1"));
	EXPECT_EQ(-EINVAL, mnt("bad", 4000, ""));
	EXPECT_EQ(-EINVAL, mnt("bad", nid, "size=12Q"));
	EXPECT_EQ(-EINVAL, mnt("bad", nid, "size=1M"));
	EXPECT_EQ(-EINVAL, mnt("bad", nid, "tenant=a/b"));
	snprintf(opts, sizeof(opts), "size=%lld", size + (long long)SZ_2M);
	EXPECT_EQ(-EINVAL, mnt("bad", nid, opts));
	/* a node without a pool, when the environment names one */
	EXPECT_EQ(nopool >= 0 ? -ENODEV : 0,
		  nopool >= 0 ? mnt("bad", nopool, "") : 0);
	umnt("bad");
}

static int mount_as_nobody(void *arg)
{
	if (become(NOBODY))
		return 2;
	int ret = mnt("nobody", *(long long *)arg, "");

	return ret == -EPERM ? 0 : 100 - ret;
}

TEST(mount_needs_cap_sys_admin)
{
	long long nid = node_of("PCARVEFS_NOMAP");

	mkdir(MNT, 0777);
	mkdir(MNT "/nobody", 0777);
	EXPECT_EQ(0, in_child(mount_as_nobody, &nid));
	umnt("nobody");
}

/* two mounts of one node and tenant are one tree */
TEST(same_tree)
{
	long long nid = node_of("PCARVEFS_NOMAP");
	struct stat a, b;
	int fd;

	ASSERT_EQ(0, mnt("t1", nid, ""));
	ASSERT_EQ(0, mnt("t2", nid, ""));
	fd = open(at("t1", "f"), O_CREAT | O_RDWR, 0644);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, SZ_2M));
	close(fd);
	ASSERT_EQ(0, stat(at("t1", "f"), &a));
	ASSERT_EQ(0, stat(at("t2", "f"), &b));
	EXPECT_EQ(a.st_ino, b.st_ino);
	EXPECT_EQ(SZ_2M, (unsigned long long)b.st_size);
	/* options that contradict the mounted tree are refused */
	EXPECT_EQ(-EBUSY, mnt("t3", nid, "size=2M"));
	umnt("t3");
	EXPECT_EQ(0, unlink(at("t2", "f")));
	umnt("t2");
	umnt("t1");
}

/* caps are reservations: no tenant starves another */
TEST(tenants)
{
	long long nid = node_of("PCARVEFS_NOMAP");
	long long size = pool_num(nid, "size"), free0 = pool_num(nid, "free");
	long long half = size / 2 / SZ_2M * SZ_2M;
	char opts[64];
	struct statfs st;
	int fa, fb, fc;

	snprintf(opts, sizeof(opts), "tenant=a,size=%lld", half);
	ASSERT_EQ(0, mnt("a", nid, opts));
	snprintf(opts, sizeof(opts), "tenant=b,size=%lld", half);
	ASSERT_EQ(0, mnt("b", nid, opts));
	/* a third cap would overcommit the pool */
	EXPECT_EQ(-ENOSPC, mnt("c", nid, "tenant=c,size=4M"));
	ASSERT_EQ(0, mnt("c", nid, "tenant=c"));

	ASSERT_EQ(0, xstatfs(MNT "/a", &st));
	EXPECT_EQ(PCARVEFS_MAGIC, (unsigned long)st.f_type);
	EXPECT_EQ(pool_num(nid, "granule"), (long long)st.f_bsize);
	EXPECT_EQ(half / st.f_bsize, (long long)st.f_blocks);
	EXPECT_EQ(half / st.f_bsize, (long long)st.f_bfree);

	fa = open(at("a", "f"), O_CREAT | O_RDWR, 0600);
	fb = open(at("b", "f"), O_CREAT | O_RDWR, 0600);
	fc = open(at("c", "f"), O_CREAT | O_RDWR, 0600);
	ASSERT_LE(0, fa);
	ASSERT_LE(0, fb);
	ASSERT_LE(0, fc);
	/* the uncapped tenant gets what the reservations leave: nothing */
	EXPECT_EQ(-1, ftruncate(fc, SZ_2M));
	EXPECT_EQ(ENOSPC, errno);
	/* a takes its cap and no more */
	EXPECT_EQ(0, ftruncate(fa, half));
	EXPECT_EQ(-1, ftruncate(fa, half + SZ_2M));
	EXPECT_EQ(ENOSPC, errno);
	EXPECT_EQ(half, lseek(fa, 0, SEEK_END));
	/* b still finds all of its reservation */
	EXPECT_EQ(0, ftruncate(fb, half));
	ASSERT_EQ(0, xstatfs(MNT "/b", &st));
	EXPECT_EQ(0, (long long)st.f_bfree);
	/* tenants see their own trees only */
	EXPECT_EQ(-1, access(at("c", "g"), F_OK));
	EXPECT_EQ(0, unlink(at("a", "f")));
	EXPECT_EQ(0, access(at("b", "f"), F_OK));
	close(fa);
	close(fb);
	close(fc);
	umnt("a");
	umnt("b");
	umnt("c");
	EXPECT_EQ(free0, pool_free_settled(nid, free0));
}

/* directories, links, renames, ownership, times, inode numbers */
TEST(tree)
{
	long long nid = node_of("PCARVEFS_NOMAP");
	struct stat s1, s2, d;
	int fd;

	ASSERT_EQ(0, mnt("tree", nid, ""));
	ASSERT_EQ(0, mkdir(at("tree", "d"), 0750));
	ASSERT_EQ(0, mkdir(at("tree", "d/e"), 0750));
	fd = open(at("tree", "d/f"), O_CREAT | O_EXCL | O_RDWR, 0640);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, fstat(fd, &s1));
	EXPECT_EQ(0640, s1.st_mode & 07777);
	EXPECT_EQ(0, (long long)s1.st_size);
	usleep(20000);
	ASSERT_EQ(0, ftruncate(fd, SZ_2M));
	ASSERT_EQ(0, fstat(fd, &s2));
	EXPECT_TRUE(s2.st_mtime > s1.st_mtime ||
		    s2.st_mtim.tv_nsec != s1.st_mtim.tv_nsec);
	EXPECT_EQ(SZ_2M / 512, (unsigned long long)s2.st_blocks);
	close(fd);
	EXPECT_EQ(-1, open(at("tree", "d/f"), O_CREAT | O_EXCL | O_RDWR, 0640));
	EXPECT_EQ(EEXIST, errno);
	ASSERT_EQ(0, link(at("tree", "d/f"), at("tree", "d/e/g")));
	ASSERT_EQ(0, stat(at("tree", "d/e/g"), &s2));
	EXPECT_EQ(s1.st_ino, s2.st_ino);
	EXPECT_EQ(2, (int)s2.st_nlink);
	ASSERT_EQ(0, xrename(at("tree", "d/f"), at("tree", "h")));
	ASSERT_EQ(0, stat(at("tree", "h"), &s2));
	EXPECT_EQ(s1.st_ino, s2.st_ino);
	EXPECT_EQ(0, chmod(at("tree", "h"), 0604));
	EXPECT_EQ(0, chown(at("tree", "h"), 12, 34));
	ASSERT_EQ(0, stat(at("tree", "d/e/g"), &s2));
	EXPECT_EQ(0604, s2.st_mode & 07777);
	EXPECT_EQ(12, (int)s2.st_uid);
	EXPECT_EQ(34, (int)s2.st_gid);
	ASSERT_EQ(0, stat(at("tree", "d"), &d));
	EXPECT_NE(d.st_ino, s1.st_ino);
	EXPECT_EQ(3, (int)d.st_nlink);
	EXPECT_EQ(-1, rmdir(at("tree", "d")));
	EXPECT_EQ(ENOTEMPTY, errno);
	EXPECT_EQ(0, unlink(at("tree", "d/e/g")));
	EXPECT_EQ(0, unlink(at("tree", "h")));
	EXPECT_EQ(0, rmdir(at("tree", "d/e")));
	EXPECT_EQ(0, rmdir(at("tree", "d")));
	umnt("tree");
}

static int nobody_writes(void *arg)
{
	const char *name = arg;
	int fd;

	if (become(NOBODY))
		return 2;
	/* root's 0755 directory and 0600 file */
	if (open(at(name, "x"), O_CREAT | O_RDWR, 0600) >= 0 ||
	    errno != EACCES)
		return 3;
	if (open(at(name, "secret"), O_RDONLY) >= 0 || errno != EACCES)
		return 4;
	if (open(at(name, "secret"), O_WRONLY | O_TRUNC) >= 0 ||
	    errno != EACCES)
		return 5;
	if (chmod(at(name, "secret"), 0666) == 0 || errno != EPERM)
		return 6;
	/* its own directory */
	fd = open(at(name, "mine/y"), O_CREAT | O_RDWR, 0600);
	if (fd < 0)
		return 7;
	close(fd);
	return unlink(at(name, "mine/y")) ? 8 : 0;
}

TEST(permissions)
{
	long long nid = node_of("PCARVEFS_NOMAP");
	struct stat st;
	int fd;

	ASSERT_EQ(0, mnt("perm", nid, "mode=0755"));
	fd = open(at("perm", "secret"), O_CREAT | O_RDWR, 0600);
	ASSERT_LE(0, fd);
	close(fd);
	ASSERT_EQ(0, mkdir(at("perm", "mine"), 0700));
	ASSERT_EQ(0, chown(at("perm", "mine"), NOBODY, NOBODY));
	EXPECT_EQ(0, in_child(nobody_writes, "perm"));
	unlink(at("perm", "secret"));
	rmdir(at("perm", "mine"));
	umnt("perm");

	/* uid=, gid=, mode= make the root the tenant's */
	ASSERT_EQ(0, mnt("perm2", nid, "tenant=nobody,uid=65534,gid=65534,mode=0700"));
	ASSERT_EQ(0, stat(MNT "/perm2", &st));
	EXPECT_EQ(NOBODY, (int)st.st_uid);
	EXPECT_EQ(NOBODY, (int)st.st_gid);
	EXPECT_EQ(0700, st.st_mode & 07777);
	umnt("perm2");
}

/* 1 GiB chunks for the aligned GiBs, 2 MiB below; all or nothing */
TEST(sizes_and_chunks)
{
	long long nid = node_of("PCARVEFS_NOMAP");
	long long free0 = pool_num(nid, "free"), size = pool_num(nid, "size");
	struct pcarvefs_attr a;
	int fd;

	ASSERT_EQ(0, mnt("sz", nid, ""));
	fd = open(at("sz", "f"), O_CREAT | O_RDWR, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, SZ_1G + 3 * SZ_2M / 2));
	ASSERT_EQ(0, get_attr(fd, &a));
	EXPECT_EQ(1, (int)a.nr_1g);
	EXPECT_EQ(2, (int)a.nr_2m);
	EXPECT_EQ(SZ_1G + 2 * SZ_2M, a.allocated);
	EXPECT_EQ(free0 - (long long)a.allocated, pool_num(nid, "free"));
	/* shrinking gives back the chunks past the end, not the 1 GiB one */
	ASSERT_EQ(0, ftruncate(fd, SZ_1G - SZ_2M));
	ASSERT_EQ(0, get_attr(fd, &a));
	EXPECT_EQ(1, (int)a.nr_1g);
	EXPECT_EQ(0, (int)a.nr_2m);
	EXPECT_EQ(free0 - (long long)SZ_1G, pool_free_settled(nid, free0 - SZ_1G));
	ASSERT_EQ(0, ftruncate(fd, 0));
	EXPECT_EQ(free0, pool_free_settled(nid, free0));
	ASSERT_EQ(0, ftruncate(fd, SZ_2M));
	/* more than the pool: ENOSPC, nothing kept, size unchanged */
	EXPECT_EQ(-1, ftruncate(fd, size + SZ_2M));
	EXPECT_EQ(ENOSPC, errno);
	EXPECT_EQ(SZ_2M, (unsigned long long)lseek(fd, 0, SEEK_END));
	EXPECT_EQ(free0 - (long long)SZ_2M, pool_free_settled(nid, free0 - SZ_2M));
	/* fallocate: KEEP_SIZE backs without growing; no holes */
	EXPECT_EQ(0, xfallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 2 * SZ_2M));
	ASSERT_EQ(0, get_attr(fd, &a));
	EXPECT_EQ(2 * SZ_2M, a.allocated);
	EXPECT_EQ(SZ_2M, (unsigned long long)lseek(fd, 0, SEEK_END));
	EXPECT_EQ(0, xfallocate(fd, 0, SZ_2M, 2 * SZ_2M));
	EXPECT_EQ(3 * SZ_2M, (unsigned long long)lseek(fd, 0, SEEK_END));
	EXPECT_EQ(-1, xfallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
				 0, SZ_2M));
	EXPECT_EQ(EOPNOTSUPP, errno);
	close(fd);
	EXPECT_EQ(0, unlink(at("sz", "f")));
	EXPECT_EQ(free0, pool_free_settled(nid, free0));
	umnt("sz");
}

/*
 * A file mapped by folio takes whole folios: 1 GiB chunks only on a pool
 * of 1 GiB granule, 2 MiB chunks on a pool of 2 MiB granule.
 */
TEST(folio_files_take_granules)
{
	struct pools p;
	int i, n = 0;

	pools(&p);
	for (i = 0; i < p.nr; i++) {
		long long g = pool_num(p.nid[i], "granule");
		struct pcarvefs_attr a;
		struct stat st;
		int fd;

		if (!strcmp(p.name[i], "nomap"))
			continue;
		n++;
		ASSERT_EQ(0, mnt("g", p.nid[i], ""));
		fd = open(at("g", "f"), O_CREAT | O_RDWR, 0600);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, ftruncate(fd, 3 * SZ_2M / 2));
		ASSERT_EQ(0, get_attr(fd, &a));
		ASSERT_EQ(0, fstat(fd, &st));
		if (g == (long long)SZ_1G) {
			EXPECT_EQ(1, (int)a.nr_1g);
			EXPECT_EQ(0, (int)a.nr_2m);
		} else {
			EXPECT_EQ(0, (int)a.nr_1g);
			EXPECT_EQ(2, (int)a.nr_2m);
		}
		EXPECT_EQ(a.allocated / 512, (unsigned long long)st.st_blocks);
		EXPECT_EQ(g, (long long)st.st_blksize);
		/* folios are mapped whole: an offset inside one is refused */
		EXPECT_EQ(MAP_FAILED, mmap(NULL, SZ_2M, PROT_READ, MAP_SHARED,
					   fd, PAGE));
		EXPECT_EQ(EINVAL, errno);
		close(fd);
		unlink(at("g", "f"));
		umnt("g");
	}
	EXPECT_LT(0, n) TH_LOG("no map or hvo pool");
}

/* a store the compiler keeps: exit() could read it */
static int touch_at(void *arg)
{
	*(char *)arg = 1;
	return 0;
}

/* past the end of a file, a mapping has nothing: SIGBUS, never memory */
TEST(mapping_past_the_end)
{
	long long nid = node_of("PCARVEFS_NOMAP");
	unsigned long long len = SZ_1G;
	int fd, status;
	pid_t pid;
	char *m;

	ASSERT_EQ(0, mnt("end", nid, ""));
	fd = open(at("end", "f"), O_CREAT | O_RDWR, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, SZ_2M));
	/* 1 GiB-aligned, 1 GiB long: a PUD would cover what is not the file's */
	m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, m);
	m[0] = 1;
	m[SZ_2M - 1] = 2;
	pid = fork();
	if (pid == 0)
		exit(touch_at(m + SZ_2M));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS);
	pid = fork();
	if (pid == 0)
		exit(touch_at(m + len - PAGE));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS);
	munmap(m, len);
	close(fd);
	unlink(at("end", "f"));
	umnt("end");
}

/* a chunk kept by a shrink comes back zeroed when the file grows again */
TEST(shrink_keeps_the_chunk_zeroes_its_tail)
{
	long long nid = node_of("PCARVEFS_NOMAP");
	long long free0 = pool_num(nid, "free");
	struct pcarvefs_attr a;
	char *m;
	int fd;

	ASSERT_EQ(0, mnt("tail", nid, ""));
	fd = open(at("tail", "f"), O_CREAT | O_RDWR, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, 2 * SZ_1G));
	m = mmap(NULL, SZ_1G, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, m);
	stamp(m, SZ_64M, 99);
	munmap(m, SZ_1G);
	ASSERT_EQ(0, ftruncate(fd, SZ_2M / 2));
	ASSERT_EQ(0, get_attr(fd, &a));
	EXPECT_EQ(1, (int)a.nr_1g);
	EXPECT_EQ(0, (int)a.nr_2m);
	EXPECT_EQ(SZ_1G, a.allocated);
	EXPECT_EQ(free0 - (long long)SZ_1G, pool_free_settled(nid, free0 - SZ_1G));
	/* growing inside the kept chunk takes nothing and shows zeros */
	ASSERT_EQ(0, ftruncate(fd, SZ_64M));
	ASSERT_EQ(0, get_attr(fd, &a));
	EXPECT_EQ(SZ_1G, a.allocated);
	EXPECT_EQ(free0 - (long long)SZ_1G, pool_num(nid, "free"));
	m = mmap(NULL, SZ_64M, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, m);
	/* the first MiB is the file's, the rest was past its end */
	EXPECT_EQ(-1, stamped(m, SZ_2M / 2, 99));
	EXPECT_EQ(-1, zeroed(m + SZ_2M / 2, SZ_64M - SZ_2M / 2));
	munmap(m, SZ_64M);
	close(fd);
	unlink(at("tail", "f"));
	EXPECT_EQ(free0, pool_free_settled(nid, free0));
	umnt("tail");
}

/* the characteristics ioctls */
TEST(attributes)
{
	struct pools p;
	int i;

	pools(&p);
	for (i = 0; i < p.nr; i++) {
		struct pcarvefs_attr a, set;
		char mode[16], path[96];
		int fd, ro;

		ASSERT_EQ(0, mnt("attr", p.nid[i], ""));
		fd = open(at("attr", "f"), O_CREAT | O_RDWR, 0644);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, get_attr(fd, &a));
		snprintf(path, sizeof(path), PCARVE_SYS "/node%lld/mode",
			 p.nid[i]);
		read_word(path, mode, sizeof(mode));
		TH_LOG("attr:node%lld %s flags=%#x pool_mode=%u granule=%llu",
		       p.nid[i], mode, a.flags, a.pool_mode,
		       (unsigned long long)a.granule);
		EXPECT_EQ(p.nid[i], (long long)a.nid);
		EXPECT_EQ(pool_num(p.nid[i], "granule"), (long long)a.granule);
		EXPECT_TRUE(a.flags & PCARVEFS_HANDOVER);
		if (!strcmp(mode, "nomap")) {
			EXPECT_EQ(PCARVEFS_POOL_NOMAP, a.pool_mode);
			EXPECT_TRUE(a.flags & PCARVEFS_UNMAPPED);
		} else {
			EXPECT_EQ(!strcmp(mode, "hvo") ? PCARVEFS_POOL_HVO :
				  PCARVEFS_POOL_MAP, a.pool_mode);
			EXPECT_FALSE(a.flags & PCARVEFS_UNMAPPED);
		}
		memset(&set, 0, sizeof(set));
		set.flags = 1U << 7;
		EXPECT_EQ(-1, ioctl(fd, PCARVEFS_IOC_SET_ATTR, &set));
		EXPECT_EQ(EINVAL, errno);
		set.flags = 0;
		set.reserved = 1;
		EXPECT_EQ(-1, ioctl(fd, PCARVEFS_IOC_SET_ATTR, &set));
		EXPECT_EQ(EINVAL, errno);
		set.reserved = 0;
		ro = open(at("attr", "f"), O_RDONLY);
		EXPECT_EQ(-1, ioctl(ro, PCARVEFS_IOC_SET_ATTR, &set));
		EXPECT_EQ(EBADF, errno);
		close(ro);
		/* not handed over */
		EXPECT_EQ(0, ioctl(fd, PCARVEFS_IOC_SET_ATTR, &set));
		ASSERT_EQ(0, get_attr(fd, &a));
		EXPECT_FALSE(a.flags & PCARVEFS_HANDOVER);
		ASSERT_EQ(0, ftruncate(fd, a.granule));
		set.flags = PCARVEFS_HANDOVER;
		EXPECT_EQ(-1, ioctl(fd, PCARVEFS_IOC_SET_ATTR, &set));
		EXPECT_EQ(EBUSY, errno);
		close(fd);
		unlink(at("attr", "f"));
		umnt("attr");
	}
}

/* map a file, touch every page; the faults it took and the time */
static int touch_file(struct __test_metadata *_metadata, const char *path,
		      unsigned long long len, long *faults, long long *us)
{
	long long t0;
	char *p;
	long f0;
	int fd;

	fd = open(path, O_RDWR);
	if (fd < 0)
		return -1;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return -1;
	f0 = minflt();
	t0 = now_us();
	stamp(p, len, 0x5a5a);
	*us = now_us() - t0;
	*faults = minflt() - f0;
	EXPECT_EQ(-1, stamped(p, len, 0x5a5a));
	munmap(p, len);
	return 0;
}

static long fault_limit(unsigned long long len)
{
#ifdef __x86_64__
	if (len >= SZ_1G)
		return len / SZ_1G;
#endif
	return len / SZ_2M;
}

/* every page of a 2 GiB and a 64 MiB file for a handful of faults */
TEST(mmap_faults)
{
	struct pools p;
	int i, fd;

	pools(&p);
	for (i = 0; i < p.nr; i++) {
		unsigned long long sizes[2] = { 2 * SZ_1G, SZ_64M }, len;
		long long us;
		long faults;
		int j;

		ASSERT_EQ(0, mnt("mm", p.nid[i], ""));
		for (j = 0; j < 2; j++) {
			len = file_size(p.nid[i], sizes[j]);
			if (len > (unsigned long long)pool_num(p.nid[i], "free"))
				continue;
			fd = open(at("mm", "f"), O_CREAT | O_RDWR, 0600);
			ASSERT_LE(0, fd);
			ASSERT_EQ(0, ftruncate(fd, len));
			/* a private mapping is refused */
			EXPECT_EQ(MAP_FAILED, mmap(NULL, len, PROT_READ,
						   MAP_PRIVATE, fd, 0));
			EXPECT_EQ(EINVAL, errno);
			close(fd);
			ASSERT_EQ(0, touch_file(_metadata, at("mm", "f"), len,
						&faults, &us));
			TH_LOG("faults:node%lld %s %lluM: %ld faults, touch %lld us",
			       p.nid[i], p.name[i], len >> 20, faults, us);
			EXPECT_LE(faults, fault_limit(len));
			unlink(at("mm", "f"));
		}
		umnt("mm");
	}
}

struct shared {
	const char *path;
	unsigned long long len;
	void *addr;
	pid_t parent;
};

static int child_reads(void *arg)
{
	struct shared *s = arg;
	char *p;
	int fd = open(s->path, O_RDWR);

	if (fd < 0)
		return 2;
	p = mmap(NULL, s->len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return 3;
	if (stamped(p, s->len, 0x1234) != -1)
		return 4;
	stamp(p, s->len, 0x4321);
	munmap(p, s->len);
	return 0;
}

static int child_gup(void *arg)
{
	struct shared *s = arg;
	static char buf[8192];
	struct iovec local = { buf, sizeof(buf) };
	struct iovec remote = { s->addr, sizeof(buf) };
	long n;

	n = syscall(__NR_process_vm_readv, s->parent, &local, 1, &remote, 1, 0);
	if (n != (long)sizeof(buf))
		return errno == EFAULT ? 10 : 100 + errno;
	return stamped(buf, sizeof(buf), 0x4321) == -1 ? 0 : 12;
}

/* one file, several mappings and processes; GUP where there are folios */
TEST(sharing_and_gup)
{
	struct pools p;
	int i;

	pools(&p);
	for (i = 0; i < p.nr; i++) {
		struct shared s = { .path = at("sh", "f"), .parent = getpid() };
		struct pcarvefs_attr a;
		char *m;
		int fd, ret;

		s.len = file_size(p.nid[i], SZ_64M);
		ASSERT_EQ(0, mnt("sh", p.nid[i], ""));
		fd = open(s.path, O_CREAT | O_RDWR, 0600);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, ftruncate(fd, s.len));
		ASSERT_EQ(0, get_attr(fd, &a));
		m = mmap(NULL, s.len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		ASSERT_NE(MAP_FAILED, m);
		stamp(m, s.len, 0x1234);
		EXPECT_EQ(0, in_child(child_reads, &s));
		EXPECT_EQ(-1, stamped(m, s.len, 0x4321));
		munmap(m, s.len);
		m = mmap(NULL, s.len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		ASSERT_NE(MAP_FAILED, m);
		EXPECT_EQ(-1, stamped(m, s.len, 0x4321));
		s.addr = m;
		ret = in_child(child_gup, &s);
		TH_LOG("gup:node%lld %s: process_vm_readv %s", p.nid[i],
		       p.name[i], ret == 0 ? "reads the data" :
		       ret == 10 ? "EFAULT" : "fails");
		EXPECT_EQ(a.flags & PCARVEFS_UNMAPPED ? 10 : 0, ret);
		munmap(m, s.len);
		close(fd);
		unlink(s.path);
		umnt("sh");
	}
}

/* read(2) and write(2): through the direct map, or not at all */
TEST(read_write)
{
	struct pools p;
	int i;

	pools(&p);
	for (i = 0; i < p.nr; i++) {
		static char buf[PAGE], back[PAGE];
		struct pcarvefs_attr a;
		char *m;
		int fd;

		ASSERT_EQ(0, mnt("rw", p.nid[i], ""));
		fd = open(at("rw", "f"), O_CREAT | O_RDWR, 0600);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, get_attr(fd, &a));
		memset(buf, 0x77, sizeof(buf));
		if (a.flags & PCARVEFS_UNMAPPED) {
			EXPECT_EQ(-1, write(fd, buf, sizeof(buf)));
			EXPECT_EQ(EOPNOTSUPP, errno);
			ASSERT_EQ(0, ftruncate(fd, SZ_2M));
			EXPECT_EQ(-1, read(fd, back, sizeof(back)));
			EXPECT_EQ(EOPNOTSUPP, errno);
		} else {
			/* a write past the end makes the file longer */
			ASSERT_EQ(PAGE, (unsigned long long)
				  (lseek(fd, 3 * PAGE, SEEK_SET) == 3 * PAGE ?
				   write(fd, buf, sizeof(buf)) : -1));
			EXPECT_EQ(4 * PAGE, (unsigned long long)lseek(fd, 0, SEEK_END));
			m = mmap(NULL, a.granule, PROT_READ | PROT_WRITE,
				 MAP_SHARED, fd, 0);
			ASSERT_NE(MAP_FAILED, m);
			EXPECT_EQ(0, memcmp(m + 3 * PAGE, buf, PAGE));
			EXPECT_EQ(0, m[0]);
			memset(m, 0x33, PAGE);
			lseek(fd, 0, SEEK_SET);
			EXPECT_EQ(PAGE, (unsigned long long)read(fd, back, PAGE));
			EXPECT_EQ(0x33, back[0]);
			EXPECT_EQ(0x33, back[PAGE - 1]);
			munmap(m, a.granule);
		}
		close(fd);
		unlink(at("rw", "f"));
		umnt("rw");
	}
}

struct leftover {
	long long nid;
	unsigned long long len;
};

static int other_tenant_reads(void *arg)
{
	struct leftover *l = arg;
	char *m;
	int fd;

	if (become(NOBODY))
		return 2;
	fd = open(at("z2", "g"), O_CREAT | O_RDWR, 0600);
	if (fd < 0)
		return 100 + errno;
	if (ftruncate(fd, l->len))
		return 4;
	m = mmap(NULL, l->len, PROT_READ, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		return 5;
	return zeroed(m, l->len) == -1 ? 0 : 6;
}

/* a pool's whole memory, written by one tenant, reaches the next zeroed */
TEST(no_data_crosses_tenants)
{
	struct pools p;
	int i;

	pools(&p);
	for (i = 0; i < p.nr; i++) {
		struct leftover l = { .nid = p.nid[i] };
		long long t0, us;
		char *m;
		int fd;

		l.len = pool_num(p.nid[i], "free");
		ASSERT_EQ(0, mnt("z1", p.nid[i], "tenant=one"));
		ASSERT_EQ(0, mnt("z2", p.nid[i], "tenant=two,uid=65534,gid=65534"));
		fd = open(at("z1", "f"), O_CREAT | O_RDWR, 0600);
		ASSERT_LE(0, fd);
		t0 = now_us();
		ASSERT_EQ(0, ftruncate(fd, l.len));
		us = now_us() - t0;
		TH_LOG("zeroing:node%lld %s: %lluM zeroed at allocation in %lld us (%lld MiB/s)",
		       p.nid[i], p.name[i], l.len >> 20, us,
		       (long long)(l.len >> 20) * 1000000 / (us > 0 ? us : 1));
		m = mmap(NULL, l.len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		ASSERT_NE(MAP_FAILED, m);
		EXPECT_EQ(-1, zeroed(m, l.len));
		stamp(m, l.len, 0xdeadbeef);
		munmap(m, l.len);
		close(fd);
		ASSERT_EQ(0, unlink(at("z1", "f")));
		EXPECT_EQ((long long)l.len, pool_free_settled(l.nid, l.len));
		EXPECT_EQ(0, in_child(other_tenant_reads, &l));
		unlink(at("z2", "g"));
		umnt("z1");
		umnt("z2");
	}
}

static int child_checks(void *arg)
{
	struct shared *s = arg;

	return stamped(s->addr, s->len, 0x77) == -1 ? 0 : 1;
}

/*
 * What programs do with mappings: MAP_POPULATE, mlock, MADV_DONTNEED
 * (the data is the file's, it comes back), fork (the child shares the
 * mapping), /proc/self/smaps, mremap (a mapping cannot grow), msync.
 */
TEST(common_uses)
{
	static char smaps[65536];
	struct pools p;
	int i;

	pools(&p);
	for (i = 0; i < p.nr; i++) {
		struct shared s = { .path = at("use", "f") };
		struct pcarvefs_attr a;
		long f0, faults;
		bool pfnmap;
		char *m;
		int fd;

		s.len = file_size(p.nid[i], SZ_64M);
		ASSERT_EQ(0, mnt("use", p.nid[i], ""));
		fd = open(s.path, O_CREAT | O_RDWR, 0600);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, ftruncate(fd, s.len));
		ASSERT_EQ(0, get_attr(fd, &a));
		pfnmap = a.flags & PCARVEFS_UNMAPPED;
		m = mmap(NULL, s.len, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_POPULATE, fd, 0);
		ASSERT_NE(MAP_FAILED, m);
		/*
		 * Populated read-only: shared mappings are not dirtied by
		 * MAP_POPULATE, so the writes may take one fault per entry;
		 * pfn maps are not populated at all.
		 */
		f0 = minflt();
		stamp(m, s.len, 0x77);
		faults = minflt() - f0;
		TH_LOG("populate:node%lld %s: %ld faults to write after MAP_POPULATE",
		       p.nid[i], p.name[i], faults);
		EXPECT_LE(faults, fault_limit(s.len));
		EXPECT_EQ(0, syscall(__NR_mlock, m, s.len));
		EXPECT_EQ(0, syscall(__NR_munlock, m, s.len));
		/* a pfn map is not the kernel's to drop: EINVAL, as for any */
		EXPECT_EQ(pfnmap ? -1 : 0,
			  syscall(__NR_madvise, m, s.len, MADV_DONTNEED));
		EXPECT_EQ(-1, stamped(m, s.len, 0x77));
		s.addr = m;
		EXPECT_EQ(0, in_child(child_checks, &s));
		EXPECT_LT(0, read_file("/proc/self/smaps", smaps,
				       sizeof(smaps)));
		EXPECT_EQ(-1, stamped(m, s.len, 0x77));
		EXPECT_EQ(MAP_FAILED, mremap(m, s.len, 2 * s.len, 0, NULL));
		EXPECT_EQ(0, syscall(__NR_msync, m, s.len, MS_SYNC));
		EXPECT_EQ(0, munmap(m, s.len));
		close(fd);
		unlink(s.path);
		umnt("use");
	}
}

/* unlinked while mapped: the data stays until the last unmap */
TEST(unlink_while_mapped)
{
	long long nid = node_of("PCARVEFS_NOMAP");
	long long free0 = pool_num(nid, "free");
	unsigned long long len = SZ_64M;
	char *m;
	int fd;

	ASSERT_EQ(0, mnt("ul", nid, ""));
	fd = open(at("ul", "f"), O_CREAT | O_RDWR, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, len));
	m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, m);
	close(fd);
	stamp(m, len, 77);
	ASSERT_EQ(0, unlink(at("ul", "f")));
	EXPECT_EQ(free0 - (long long)len, pool_num(nid, "free"));
	EXPECT_EQ(-1, stamped(m, len, 77));
	munmap(m, len);
	EXPECT_EQ(free0, pool_free_settled(nid, free0));
	umnt("ul");
}

static unsigned long long rnd(unsigned long long *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static int stress_worker(void *arg)
{
	long long secs = *(long long *)arg;
	unsigned long long seed = getpid() * 2654435761ULL + 1;
	long long end = now_us() + secs * 1000000;
	char path[64];

	while (now_us() < end) {
		unsigned long long len = (rnd(&seed) % 16 + 1) * SZ_2M;
		char *m;
		int fd;

		snprintf(path, sizeof(path), MNT "/st/f%llu",
			 rnd(&seed) % 12);
		switch (rnd(&seed) % 4) {
		case 0:
			unlink(path);
			break;
		case 1:
			fd = open(path, O_CREAT | O_RDWR, 0600);
			if (fd >= 0) {
				ftruncate(fd, len);
				close(fd);
			}
			break;
		default:
			fd = open(path, O_RDWR);
			if (fd < 0)
				break;
			len = lseek(fd, 0, SEEK_END);
			m = len ? mmap(NULL, len, PROT_READ | PROT_WRITE,
				       MAP_SHARED, fd, 0) : MAP_FAILED;
			if (rnd(&seed) % 2)
				ftruncate(fd, len / 2);
			close(fd);
			if (m == MAP_FAILED)
				break;
			/* a shrink under the mapping may leave only part */
			if (!(rnd(&seed) % 3))
				unlink(path);
			munmap(m, len);
			break;
		}
	}
	return 0;
}

/* 8 processes create, truncate, map and unlink at random */
TEST(stress)
{
	long long nid = node_of("PCARVEFS_NOMAP"), free0;
	long long secs = env_num("PCARVEFS_STRESS_SECS");
	pid_t pid[8];
	int i, status, ok = 0;

	if (secs < 0)
		secs = 20;
	free0 = pool_num(nid, "free");
	ASSERT_EQ(0, mnt("st", nid, ""));
	for (i = 0; i < 8; i++) {
		pid[i] = fork();
		if (pid[i] == 0)
			exit(stress_worker(&secs));
	}
	for (i = 0; i < 8; i++)
		if (pid[i] > 0 && waitpid(pid[i], &status, 0) == pid[i] &&
		    WIFEXITED(status) && !WEXITSTATUS(status))
			ok++;
	EXPECT_EQ(8, ok);
	for (i = 0; i < 12; i++) {
		char path[64];

		snprintf(path, sizeof(path), MNT "/st/f%d", i);
		unlink(path);
	}
	EXPECT_EQ(free0, pool_free_settled(nid, free0));
	umnt("st");
	TH_LOG("stress: 8 processes for %lld s, pool free back to %lld", secs,
	       free0);
}

/*
 * hugetlbfs with the same touch, in the same guest.  hugetlbfs zeroes a
 * page at its first fault, pcarvefs at allocation (ftruncate): compare
 * ftruncate + first touch, and a second touch through a new mapping.
 * PCARVEFS_TOUCH_MB sets the file size (2 GiB by default);
 * PCARVEFS_TOUCH_SIDE=hugetlbfs or pcarvefs measures one side only, for a
 * host that cannot hold both files (make bench: two boots of one guest).
 */
struct touch {
	long long alloc_us, first_us, again_us;
	long first_faults, again_faults;
};

static void touch_log(struct __test_metadata *_metadata, const char *what,
		      const struct touch *t)
{
	TH_LOG("%s: ftruncate %lld us, first touch %ld faults %lld us, again %ld faults %lld us",
	       what, t->alloc_us, t->first_faults, t->first_us,
	       t->again_faults, t->again_us);
}

static int timed_file(struct __test_metadata *_metadata, const char *path,
		      unsigned long long len, struct touch *t)
{
	long long t0 = now_us();
	int fd = open(path, O_CREAT | O_RDWR, 0600);

	if (fd < 0 || ftruncate(fd, len))
		return -1;
	close(fd);
	t->alloc_us = now_us() - t0;
	if (touch_file(_metadata, path, len, &t->first_faults, &t->first_us))
		return -1;
	return touch_file(_metadata, path, len, &t->again_faults,
			  &t->again_us);
}

TEST(next_to_hugetlbfs)
{
	long long huge = env_num("PCARVEFS_HUGE");
	long long nid = node_of("PCARVEFS_NOMAP");
	long long mb = env_num("PCARVEFS_TOUCH_MB");
	const char *side = getenv("PCARVEFS_TOUCH_SIDE");
	bool hside = !side || !strcmp(side, "hugetlbfs");
	bool pside = !side || !strcmp(side, "pcarvefs");
	unsigned long long len = mb > 0 ? (unsigned long long)mb << 20 :
				 2 * SZ_1G;
	struct touch h, p;
	char opts[64], what[64];

	if (huge <= 0)
		SKIP(return, "PCARVEFS_HUGE not set");
	ASSERT_TRUE(hside || pside) TH_LOG("PCARVEFS_TOUCH_SIDE=%s", side);
	if (hside) {
		mkdir(MNT, 0755);
		mkdir(MNT "/huge", 0755);
		snprintf(opts, sizeof(opts), "pagesize=%lld", huge);
		ASSERT_EQ(0, mount("none", MNT "/huge", "hugetlbfs", 0, opts));
		ASSERT_EQ(0, timed_file(_metadata, MNT "/huge/f", len, &h));
		unlink(MNT "/huge/f");
		umount2(MNT "/huge", 0);
		snprintf(what, sizeof(what), "hugetlbfs:%lluM file, %lldK pages",
			 len >> 20, huge >> 10);
		touch_log(_metadata, what, &h);
	}
	if (pside) {
		ASSERT_EQ(0, mnt("cmp", nid, ""));
		ASSERT_EQ(0, timed_file(_metadata, at("cmp", "f"), len, &p));
		unlink(at("cmp", "f"));
		umnt("cmp");
		snprintf(what, sizeof(what), "pcarvefs:%lluM file, nomap",
			 len >> 20);
		touch_log(_metadata, what, &p);
	}
	if (!hside || !pside)
		return;
	TH_LOG("ratio:pcarvefs touch rate %lld%% of hugetlbfs (again), %lld%% (ftruncate + first)",
	       p.again_us > 0 ? h.again_us * 100 / p.again_us : 0,
	       p.alloc_us + p.first_us > 0 ?
	       (h.alloc_us + h.first_us) * 100 / (p.alloc_us + p.first_us) : 0);
	EXPECT_LE(p.first_faults, h.first_faults);
	EXPECT_LE(p.again_faults, h.again_faults);
}

TEST_HARNESS_MAIN
