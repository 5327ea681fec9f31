// SPDX-License-Identifier: GPL-2.0
/*
 * The pool allocator on real memory, driven through the test control file
 * /sys/kernel/debug/pcarve/test (CONFIG_PCARVE_TEST_CONTROL) and checked
 * through debugfs (node<N>/chunks, node<N>/stats, probe) and sysfs.
 *
 * Every active pool of the boot is tested.  PCARVE_NOPOOL_NODE names a node
 * without a pool, PCARVE_BENCH_NODE the node whose pool is timed against
 * alloc_contig_pages() (that node needs free memory for 1 GiB blocks).
 */
#include "pcarve_util.h"
#include "kselftest_harness.h"
#include <sys/mman.h>

#define TEST_CTL	"/sys/kernel/debug/pcarve/test"
#define DBG		"/sys/kernel/debug/pcarve"
#define SZ_2M		0x200000ULL
#define SZ_1G		0x40000000ULL
#define OWNER		5000

/* run one command; its one-line result in res */
static int ctl(char *res, size_t len, const char *fmt, ...)
{
	char cmd[160];
	va_list ap;
	int fd, n;

	va_start(ap, fmt);
	n = vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	fd = open(TEST_CTL, O_WRONLY);
	if (fd < 0)
		return -1;
	if (write(fd, cmd, n) != n) {
		close(fd);
		return -1;
	}
	close(fd);
	return read_word(TEST_CTL, res, len) > 0 ? 0 : -1;
}

/* allocate; the address, or 0 with the "error N" in res */
static unsigned long long take(char *res, size_t len, int nid,
			       unsigned long long size,
			       unsigned long long owner, const char *flags)
{
	if (ctl(res, len, "alloc %d %llu %llu %s", nid, size, owner, flags))
		return 0;
	return strncmp(res, "0x", 2) ? 0 : strtoull(res, NULL, 16);
}

static int release(unsigned long long addr)
{
	char res[64];

	if (ctl(res, sizeof(res), "free 0x%llx", addr))
		return -1;
	return strcmp(res, "freed") ? -1 : 0;
}

/* a number from node<nid>/stats */
static long long stat_of(int nid, const char *key)
{
	char path[64];

	snprintf(path, sizeof(path), DBG "/node%d/stats", nid);
	return read_key(path, key);
}

/* the line of node<nid>/chunks for addr, or an empty string */
static void chunk_line(int nid, unsigned long long addr, char *line,
		       size_t len)
{
	static char buf[65536];
	char path[64], key[24], *p;

	line[0] = '\0';
	snprintf(path, sizeof(path), DBG "/node%d/chunks", nid);
	if (read_file(path, buf, sizeof(buf)) <= 0)
		return;
	snprintf(key, sizeof(key), "0x%016llx ", addr);
	p = strstr(buf, key);
	if (p)
		snprintf(line, len, "%.*s", (int)span_to(p, '\n'), p);
}

struct pool {
	int nid;
	char mode[16];
	unsigned long long granule, size;
};

/* the active pools, from sysfs */
static int pools(struct pool *p, int max)
{
	char path[96], state[32];
	int nid, n = 0;

	for (nid = 0; nid < PCARVE_MAX_NODES && n < max; nid++) {
		snprintf(path, sizeof(path), PCARVE_SYS "/node%d/state", nid);
		if (read_word(path, state, sizeof(state)) <= 0 ||
		    strcmp(state, "active"))
			continue;
		p[n].nid = nid;
		snprintf(path, sizeof(path), PCARVE_SYS "/node%d/mode", nid);
		read_word(path, p[n].mode, sizeof(p[n].mode));
		snprintf(path, sizeof(path), PCARVE_SYS "/node%d/granule",
			 nid);
		p[n].granule = read_num(path);
		snprintf(path, sizeof(path), PCARVE_SYS "/node%d/size", nid);
		p[n].size = read_num(path);
		n++;
	}
	return n;
}

static struct pool pool[PCARVE_MAX_NODES];
static int nr_pools;

FIXTURE(alloc) {
};

FIXTURE_SETUP(alloc)
{
	ASSERT_EQ(0, access(TEST_CTL, W_OK)) TH_LOG("no %s", TEST_CTL);
	nr_pools = pools(pool, PCARVE_MAX_NODES);
	ASSERT_LT(0, nr_pools) TH_LOG("no active pool");
}

FIXTURE_TEARDOWN(alloc)
{
}

/* a chunk filled by one owner comes back to the next one zeroed */
/* zeroes 1 GiB chunks of each pool: minutes under TCG on a busy host */
TEST_F_TIMEOUT(alloc, zeroed_on_reuse, 300)
{
	char res[160];
	int i, s;

	for (i = 0; i < nr_pools; i++) {
		static const unsigned long long sizes[] = { SZ_2M, SZ_1G };

		for (s = 0; s < 2; s++) {
			if (sizes[s] > pool[i].size)
				continue;
			ASSERT_EQ(0, ctl(res, sizeof(res), "zerotest %d %llu",
					 pool[i].nid, sizes[s]));
			TH_LOG("node%d %s %lluM: %s", pool[i].nid, pool[i].mode,
			       sizes[s] >> 20, res);
			ASSERT_NE(NULL, strstr(res, "reused=1 zeroed=1"))
				TH_LOG("%s", res);
		}
	}
}

/* nomap chunks are never in the direct map; map ones are unless asked */
TEST_F(alloc, direct_map)
{
	char res[160], line[160], want[64];
	unsigned long long a, b;
	int i, tries;

	for (i = 0; i < nr_pools; i++) {
		int nid = pool[i].nid, nomap = !strcmp(pool[i].mode, "nomap");

		a = take(res, sizeof(res), nid, SZ_2M, OWNER, "");
		ASSERT_NE(0, a) TH_LOG("node%d: %s", nid, res);
		ASSERT_EQ(0, probe(a, res, sizeof(res)));
		EXPECT_STREQ(nomap ? "fault" : "mapped", res);
		b = take(res, sizeof(res), nid, SZ_2M, OWNER, "unmapped");
		ASSERT_NE(0, b) TH_LOG("node%d: %s", nid, res);
		ASSERT_EQ(0, probe(b, res, sizeof(res)));
		EXPECT_STREQ("fault", res);
		chunk_line(nid, b, line, sizeof(line));
		/* flags, direct map, struct pages, state */
		snprintf(want, sizeof(want), " %s %s %s allocated", "unmapped",
			 "unmapped", nomap ? "nopages" : "pages");
		EXPECT_NE(NULL, strstr(line, want)) TH_LOG("chunks: '%s'", line);
		ASSERT_EQ(0, release(b));
		ASSERT_EQ(0, release(a));
		/* mapped again before it can be reused */
		for (tries = 0; stat_of(nid, "restoring_bytes") && tries < 50;
		     tries++)
			usleep(100000);
		EXPECT_EQ(0, stat_of(nid, "restoring_bytes"));
		ASSERT_EQ(0, probe(b, res, sizeof(res)));
		EXPECT_STREQ(nomap ? "fault" : "mapped", res);
		TH_LOG("node%d %s: chunk 0x%llx unmapped while allocated, %s after free",
		       nid, pool[i].mode, b, res);
	}
}

/*
 * the pool gives exactly its size in granules, then -ENOMEM: a thousand
 * 2 MiB chunks unmapped and mapped again, slow in the debug kernel
 */
TEST_F_TIMEOUT(alloc, exhaustion, 300)
{
	static unsigned long long got[4096];
	char res[160];
	long long fail0, free0;
	int i, n, k;

	for (i = 0; i < nr_pools; i++) {
		int nid = pool[i].nid;
		unsigned long long g = pool[i].granule;

		if (pool[i].size / g > ARRAY_SIZE(got))
			continue;
		free0 = stat_of(nid, "free_bytes");
		fail0 = stat_of(nid, "fail");
		EXPECT_EQ((long long)pool[i].size, free0);
		for (n = 0; ; n++) {
			ASSERT_LT(n, (int)ARRAY_SIZE(got));
			got[n] = take(res, sizeof(res), nid, g, OWNER, "");
			if (!got[n])
				break;
		}
		EXPECT_STREQ("error -12", res);
		EXPECT_EQ(pool[i].size / g, (unsigned long long)n);
		EXPECT_EQ(0, stat_of(nid, "free_bytes"));
		EXPECT_EQ(fail0 + 1, stat_of(nid, "fail"));
		for (k = 0; k < n; k++)
			ASSERT_EQ(0, release(got[k]));
		EXPECT_EQ(free0, stat_of(nid, "free_bytes"));
		EXPECT_EQ(0, stat_of(nid, "used_bytes"));
		TH_LOG("node%d: %d chunks of %lluM, then %s; all back",
		       nid, n, g >> 20, "-ENOMEM");
	}
}

/* splitting a 1 GiB block for 2 MiB, merging it when the last comes back */
TEST_F(alloc, split_merge)
{
	char res[160];
	unsigned long long a;
	long long split0, merge0;
	int i, tested = 0;

	for (i = 0; i < nr_pools; i++) {
		int nid = pool[i].nid;

		if (pool[i].granule != SZ_1G)
			continue;
		split0 = stat_of(nid, "split");
		merge0 = stat_of(nid, "merge");
		a = take(res, sizeof(res), nid, SZ_2M, OWNER, "");
		ASSERT_NE(0, a) TH_LOG("%s", res);
		EXPECT_EQ(split0 + 1, stat_of(nid, "split"));
		ASSERT_EQ(0, release(a));
		EXPECT_EQ(merge0 + 1, stat_of(nid, "merge"));
		tested++;
	}
	if (!tested)
		SKIP(return, "no 1G-granule pool");
}

/* the chunk map shows owner and flags; owners find their chunks */
TEST_F(alloc, chunk_map_and_owners)
{
	char res[160], line[160], want[80];
	unsigned long long a, b, c;
	long long alloc0, free0;
	int nid = pool[0].nid;

	alloc0 = stat_of(nid, "alloc");
	free0 = stat_of(nid, "free");
	a = take(res, sizeof(res), nid, SZ_2M, OWNER + 1, "zero handover");
	b = take(res, sizeof(res), nid, SZ_2M, OWNER + 1, "");
	c = take(res, sizeof(res), nid, SZ_2M, OWNER + 2, "handover");
	ASSERT_TRUE(a && b && c) TH_LOG("%s", res);
	chunk_line(nid, a, line, sizeof(line));
	snprintf(want, sizeof(want), "    2097152 0x%016llx zero,handover ",
		 (unsigned long long)OWNER + 1);
	EXPECT_NE(NULL, strstr(line, want)) TH_LOG("'%s'", line);
	chunk_line(nid, b, line, sizeof(line));
	EXPECT_NE(NULL, strstr(line, " - ")) TH_LOG("'%s'", line);
	ASSERT_EQ(0, ctl(res, sizeof(res), "owned %d", OWNER + 1));
	EXPECT_STREQ("n=2 bytes=4194304", res);
	ASSERT_EQ(0, ctl(res, sizeof(res), "owned %d", OWNER + 2));
	EXPECT_STREQ("n=1 bytes=2097152", res);
	EXPECT_EQ(alloc0 + 3, stat_of(nid, "alloc"));
	ASSERT_EQ(0, release(a));
	ASSERT_EQ(0, release(b));
	ASSERT_EQ(0, release(c));
	ASSERT_EQ(0, ctl(res, sizeof(res), "owned %d", OWNER + 1));
	EXPECT_STREQ("n=0 bytes=0", res);
	EXPECT_EQ(free0 + 3, stat_of(nid, "free"));
	chunk_line(nid, a, line, sizeof(line));
	EXPECT_STREQ("", line);
}

/* requests the allocator must refuse, changing nothing */
TEST_F(alloc, bad_requests)
{
	char res[160];
	long long nopool = env_num("PCARVE_NOPOOL_NODE");
	int nid = pool[0].nid;
	long long free0 = stat_of(nid, "free_bytes");

	if (nopool >= 0) {
		EXPECT_EQ(0, take(res, sizeof(res), nopool, SZ_2M, OWNER, ""));
		EXPECT_STREQ("error -19", res);
	}
	EXPECT_EQ(0, take(res, sizeof(res), nid, 4096, OWNER, ""));
	EXPECT_STREQ("error -22", res);
	EXPECT_EQ(0, take(res, sizeof(res), nid, 4 * SZ_1G, OWNER, ""));
	EXPECT_STREQ("error -22", res);
	EXPECT_EQ(0, take(res, sizeof(res), nid, SZ_2M, OWNER, "bogus"));
	EXPECT_STREQ("error -22", res);
	EXPECT_EQ(free0, stat_of(nid, "free_bytes"));
}

/* a chunk that is one folio, mapped whole at an aligned address, is pinned */
static void pin_one(struct __test_metadata *_metadata, const struct pool *p)
{
	unsigned long long g = p->granule, a;
	char res[160], *want;
	unsigned char *area, *at;
	int fd;

	a = take(res, sizeof(res), p->nid, g, OWNER + 3, "zero");
	ASSERT_NE(0, a) TH_LOG("node%d: %s", p->nid, res);
	/* an address aligned to the folio, for one PMD or PUD entry */
	area = mmap(NULL, 2 * g, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, area);
	at = (unsigned char *)(((unsigned long)area + g - 1) & ~(g - 1));
	munmap(area, 2 * g);
	fd = open(TEST_CTL, O_RDWR);
	ASSERT_LE(0, fd);
	area = mmap(at, g, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd,
		    a);
	close(fd);
	ASSERT_NE(MAP_FAILED, area) TH_LOG("mmap: %s", strerror(errno));
	ASSERT_EQ(0, area[g - 1]);
	area[0] = 0x5a;
	ASSERT_EQ(0, ctl(res, sizeof(res), "pin 0x%lx", (unsigned long)area + 4096));
	TH_LOG("node%d %s %lluM folio: %s", p->nid, p->mode, g >> 20, res);
	/* pcarve's reference and the mapping's, plus the pin */
	want = g == SZ_1G ? "order=18 pinned_ref=3 dma_pinned=1 unpinned_ref=2" :
			    "order=9 pinned_ref=3 dma_pinned=1 unpinned_ref=2";
	EXPECT_NE(NULL, strstr(res, want)) TH_LOG("%s", res);
	ASSERT_EQ(0, munmap(area, g));
	ASSERT_EQ(0, ctl(res, sizeof(res), "check 0x%llx 0", a));
	EXPECT_STREQ("differs at 0", res);
	ASSERT_EQ(0, release(a));
	EXPECT_EQ(0, stat_of(p->nid, "lost_bytes"));
}

/* GUP pins a pool folio mapped to user space, and lets it go */
TEST_F(alloc, pin_folio)
{
	int i, pinned = 0;

	for (i = 0; i < nr_pools; i++) {
		if (!strcmp(pool[i].mode, "nomap"))
			continue;
#ifndef __x86_64__
		/* PUD mappings of folios: x86_64 only */
		if (pool[i].granule == SZ_1G)
			continue;
#endif
		pin_one(_metadata, &pool[i]);
		pinned++;
	}
	if (!pinned)
		SKIP(return, "no pool with struct pages");
}

/* mean alloc+free time next to alloc_contig_pages(); printed, not judged */
TEST_F(alloc, bench)
{
	long long nid = env_num("PCARVE_BENCH_NODE");
	char res[160];

	if (nid < 0)
		SKIP(return, "PCARVE_BENCH_NODE not set");
	ASSERT_EQ(0, ctl(res, sizeof(res), "bench %lld %llu 200", nid, SZ_2M));
	TH_LOG("2M: %s", res);
	ASSERT_EQ(0, strncmp(res, "size=", 5)) TH_LOG("%s", res);
	ASSERT_EQ(0, ctl(res, sizeof(res), "bench %lld %llu 4", nid, SZ_1G));
	TH_LOG("1G: %s", res);
	ASSERT_EQ(0, strncmp(res, "size=", 5)) TH_LOG("%s", res);
}

TEST_HARNESS_MAIN
