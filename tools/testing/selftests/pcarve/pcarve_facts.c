// SPDX-License-Identifier: GPL-2.0
/*
 * What a pool's mode promises, proven from inside the guest.
 *
 * The pool of node PCARVE_NODE is compared with a boot of the same machine
 * without pools, whose figures the host passes in:
 *   PCARVE_BASE_MEMTOTAL_KB   MemTotal of that node
 *   PCARVE_BASE_MEMMAP_PAGES  nr_memmap_boot_pages in /proc/vmstat
 *
 * nomap: MemTotal falls by S - M and nr_memmap_boot_pages by M / 4K, where
 * M is the memmap of the memory sections the pool covers whole (S/64 for a
 * 1G-granule pool: a section only partly in the pool keeps its whole
 * memmap, as with memmap=S!addr), the range is "pcarve" and
 * not "System RAM" in /proc/iomem, and its direct-map address faults.
 * map: MemTotal falls by exactly S, the memmap is unchanged, the range stays
 * System RAM and stays mapped.
 *
 * The pool's direct_map file must say what the probes find: "unmapped" for
 * nomap, "mapped" for map, unless PCARVE_EXPECT_DIRECT_MAP says otherwise
 * (a pool whose removal failed).
 *
 * The pages just outside each extent are left alone: where they are System
 * RAM they must read through the direct map.  With PCARVE_NEIGHBOURS_RAM=1
 * (a layout where every extent is bordered by RAM) they must also be System
 * RAM, unless they belong to another extent.
 */
#include "pcarve_util.h"
#include "kselftest_harness.h"

#define PAGE		4096ULL
#define PAGE_STRUCT	64ULL
/* SECTION_SIZE_BITS is 27 on x86_64 and on arm64 with 4K pages */
#define SECTION		(128ULL << 20)

static int nid;
static unsigned long long pool_size;
static int nomap;
static struct pcarve_ext ext[PCARVE_MAX_EXT];
static int nr_ext;

static int setup(struct __test_metadata *_metadata)
{
	char path[96], mode[16];

	nid = env_num("PCARVE_NODE");
	if (nid < 0)
		return -1;
	snprintf(path, sizeof(path), PCARVE_SYS "/node%d/size", nid);
	pool_size = read_num(path);
	snprintf(path, sizeof(path), PCARVE_SYS "/node%d/mode", nid);
	if (read_word(path, mode, sizeof(mode)) <= 0)
		return -1;
	nomap = !strcmp(mode, "nomap");
	nr_ext = pool_extents(nid, ext, PCARVE_MAX_EXT);
	return nr_ext > 0 ? 0 : -1;
}

/* bytes of memmap for the sections that lie whole inside a nomap pool */
static unsigned long long memmap_saved_by(int node)
{
	struct pcarve_ext e[PCARVE_MAX_EXT];
	unsigned long long sections = 0, s, t;
	char path[96], mode[16];
	int i, n;

	snprintf(path, sizeof(path), PCARVE_SYS "/node%d/mode", node);
	if (read_word(path, mode, sizeof(mode)) <= 0 || strcmp(mode, "nomap"))
		return 0;
	n = pool_extents(node, e, PCARVE_MAX_EXT);
	for (i = 0; i < n; i++) {
		s = (e[i].start + SECTION - 1) / SECTION;
		t = (e[i].end + 1) / SECTION;
		if (t > s)
			sections += t - s;
	}
	return sections * SECTION / PAGE * PAGE_STRUCT;
}

TEST(memtotal)
{
	long long base, now, want, slack;

	ASSERT_EQ(0, setup(_metadata)) TH_LOG("no pool on PCARVE_NODE");
	base = env_num("PCARVE_BASE_MEMTOTAL_KB");
	ASSERT_GT(base, 0);
	now = node_memtotal_kb(nid);
	want = (pool_size - memmap_saved_by(nid)) >> 10;
	/*
	 * Boot allocations of the node change by a few bytes with a pool,
	 * seen with memblock=debug: the pool's descriptor (a few hundred
	 * bytes) is added on its node, and with a nomap pool the pageblock
	 * bitmaps of its present sections (64 bytes per section) shrink.
	 * Where they share pages with other reservations, the node's
	 * reserved memory can end one page earlier or later: allow that
	 * page.
	 */
	slack = PAGE >> 10;
	ksft_print_msg("node%d MemTotal: %lld kB -> %lld kB, fell %lld kB\n",
		       nid, base, now, base - now);
	ksft_print_msg("expected: pool %llu kB less %llu kB of memmap (+-%lld kB)\n",
		       pool_size >> 10, memmap_saved_by(nid) >> 10, slack);
	EXPECT_LE(want - slack, base - now);
	EXPECT_GE(want + slack, base - now);
}

TEST(memmap_boot_pages)
{
	long long base, now, want;
	int node;

	ASSERT_EQ(0, setup(_metadata));
	base = env_num("PCARVE_BASE_MEMMAP_PAGES");
	ASSERT_GT(base, 0);
	now = read_key("/proc/vmstat", "nr_memmap_boot_pages");
	ASSERT_GT(now, 0);
	/* nr_memmap_boot_pages is global: count every nomap pool */
	for (want = 0, node = 0; node < PCARVE_MAX_NODES; node++)
		want += memmap_saved_by(node) / PAGE;
	ksft_print_msg("nr_memmap_boot_pages: %lld -> %lld, saved %lld pages\n",
		       base, now, base - now);
	EXPECT_EQ(want, base - now);
}

/* the top-level /proc/iomem line covering addr, or NULL */
static const char *iomem_top(const char *iomem, unsigned long long addr,
			     unsigned long long *s, unsigned long long *e)
{
	const char *p = iomem;
	char *end;

	for (; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p) {
		if (*p == ' ')
			continue;
		*s = strtoull(p, &end, 16);
		*e = strtoull(end + 1, &end, 16);
		if (*s <= addr && addr <= *e)
			return strstr(end, ": ") + 2;
	}
	return NULL;
}

TEST(iomem)
{
	static char iomem[65536];
	unsigned long long s, e;
	const char *name;
	int i;

	ASSERT_EQ(0, setup(_metadata));
	ASSERT_GT(read_file("/proc/iomem", iomem, sizeof(iomem)), 0);
	for (i = 0; i < nr_ext; i++) {
		unsigned long long a[] = { ext[i].start,
			(ext[i].start + ext[i].end) / 2, ext[i].end };
		int j;

		for (j = 0; j < 3; j++) {
			name = iomem_top(iomem, a[j], &s, &e);
			ASSERT_NE(NULL, name) TH_LOG("0x%llx not in iomem", a[j]);
			if (nomap) {
				EXPECT_EQ(0, strncmp(name, "pcarve\n", 7))
					TH_LOG("0x%llx is in '%.20s'", a[j], name);
				EXPECT_EQ(ext[i].start, s);
				EXPECT_EQ(ext[i].end, e);
			} else {
				EXPECT_EQ(0, strncmp(name, "System RAM\n", 11))
					TH_LOG("0x%llx is in '%.20s'", a[j], name);
			}
		}
		ksft_print_msg("iomem 0x%llx-0x%llx: %.*s\n", s, e,
			       (int)span_to(name, '\n'), name);
	}
}

TEST(direct_map)
{
	static char iomem[65536];
	unsigned long long s, e, ram = 0;
	char res[16], path[96], state[16];
	const char *p, *name, *want;
	int i, faults = 0, probes = 0, unmapped;

	ASSERT_EQ(0, setup(_metadata));
	ASSERT_EQ(0, access(PROBE, W_OK)) TH_LOG("no %s", PROBE);

	/* what sysfs says of the pool, which the probes must then confirm */
	snprintf(path, sizeof(path), PCARVE_SYS "/node%d/direct_map", nid);
	ASSERT_GT(read_word(path, state, sizeof(state)), 0);
	want = getenv("PCARVE_EXPECT_DIRECT_MAP");
	if (!want)
		want = nomap ? "unmapped" : "mapped";
	EXPECT_STREQ(want, state);
	unmapped = !strcmp(state, "unmapped");

	/* control: a System RAM page outside the pool must read fine */
	ASSERT_GT(read_file("/proc/iomem", iomem, sizeof(iomem)), 0);
	for (p = iomem; p && *p && !ram; p = strchr(p, '\n'), p = p ? p + 1 : p) {
		if (*p == ' ')
			continue;
		s = strtoull(p, NULL, 16);
		name = iomem_top(iomem, s, &s, &e);
		if (name && !strncmp(name, "System RAM\n", 11) &&
		    e - s > (16ULL << 20))
			ram = s + (8ULL << 20);
	}
	ASSERT_NE(0, ram);
	ASSERT_EQ(0, probe(ram, res, sizeof(res)));
	EXPECT_STREQ("mapped", res);

	for (i = 0; i < nr_ext; i++) {
		unsigned long long a;

		for (a = ext[i].start; a <= ext[i].end; a += 64ULL << 20) {
			ASSERT_EQ(0, probe(a, res, sizeof(res)));
			probes++;
			faults += !strcmp(res, "fault");
			EXPECT_STREQ(unmapped ? "fault" : "mapped", res)
				TH_LOG("0x%llx", a);
		}
		ASSERT_EQ(0, probe(ext[i].end, res, sizeof(res)));
		EXPECT_STREQ(unmapped ? "fault" : "mapped", res);
	}
	ksft_print_msg("direct map: sysfs says %s; %d of %d pool probes faulted\n",
		       state, faults, probes);
	ksft_print_msg("System RAM at 0x%llx read fine\n", ram);
}

/* is addr in an extent of any pool? */
static int in_any_pool(unsigned long long addr)
{
	struct pcarve_ext e[PCARVE_MAX_EXT];
	int node, i, n;

	for (node = 0; node < PCARVE_MAX_NODES; node++) {
		n = pool_extents(node, e, PCARVE_MAX_EXT);
		for (i = 0; i < n; i++)
			if (e[i].start <= addr && addr <= e[i].end)
				return 1;
	}
	return 0;
}

TEST(outside_each_extent)
{
	static char iomem[65536];
	int i, j, checked = 0, strict = env_num("PCARVE_NEIGHBOURS_RAM") == 1;
	unsigned long long s, e;
	const char *name;
	char res[16];

	ASSERT_EQ(0, setup(_metadata));
	ASSERT_GT(read_file("/proc/iomem", iomem, sizeof(iomem)), 0);
	for (i = 0; i < nr_ext; i++) {
		unsigned long long a[] = { ext[i].start - PAGE, ext[i].end + 1 };

		for (j = 0; j < 2; j++) {
			if (!ext[i].start && !j)
				continue;
			if (in_any_pool(a[j]))
				continue;
			name = iomem_top(iomem, a[j], &s, &e);
			if (!name || strncmp(name, "System RAM\n", 11)) {
				EXPECT_FALSE(strict)
					TH_LOG("0x%llx beside extent %d is '%.20s', not System RAM",
					       a[j], i, name ? name : "(nothing)");
				continue;
			}
			ASSERT_EQ(0, probe(a[j], res, sizeof(res)));
			EXPECT_STREQ("mapped", res) TH_LOG("0x%llx", a[j]);
			checked++;
		}
	}
	ksft_print_msg("%d pages beside the %d extents: System RAM and mapped\n",
		       checked, nr_ext);
	EXPECT_GT(checked, 0);
}

TEST_HARNESS_MAIN
