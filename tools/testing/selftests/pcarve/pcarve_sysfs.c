// SPDX-License-Identifier: GPL-2.0
/*
 * pcarve sysfs: the pools the boot asked for, and nothing else, are shown
 * under /sys/kernel/mm/pcarve and /sys/devices/system/node/nodeN/pcarve,
 * with consistent values and the documented permissions.
 *
 * PCARVE_EXPECT lists the pools that must exist, as
 * "nid:size:mode:granule[:state]" words (sizes with K/M/G/T, state active
 * when not given), e.g. "1:1G:nomap:1G 3:4M:map:2M:quarantined"; empty
 * means no pool at all.
 */
#include <sys/stat.h>
#include <sys/syscall.h>

#include "pcarve_util.h"
#include "kselftest_harness.h"

struct expect {
	int present;
	unsigned long long size, granule;
	char mode[16];
	char state[16];
};

static struct expect expected[PCARVE_MAX_NODES];

static int load_expected(struct __test_metadata *_metadata)
{
	const char *e = getenv("PCARVE_EXPECT");
	char word[64];
	int n = 0;

	memset(expected, 0, sizeof(expected));
	if (!e)
		return -1;
	while (*e) {
		char *f[5] = { NULL }, *p;
		size_t len = span_to(e, ' ');
		int i, nid;

		if (!len) {
			e++;
			continue;
		}
		if (len >= sizeof(word))
			return -1;
		memcpy(word, e, len);
		word[len] = '\0';
		e += len;
		for (i = 0, p = word; i < 5 && p; i++) {
			f[i] = p;
			p = strchr(p, ':');
			if (!p && i < 3)
				return -1;
			if (p)
				*p++ = '\0';
		}
		nid = atoi(f[0]);
		if (nid < 0 || nid >= PCARVE_MAX_NODES)
			return -1;
		expected[nid].present = 1;
		expected[nid].size = parse_size(f[1]);
		snprintf(expected[nid].mode, sizeof(expected[nid].mode), "%s", f[2]);
		expected[nid].granule = parse_size(f[3]);
		snprintf(expected[nid].state, sizeof(expected[nid].state),
			 "%s", f[4] ? f[4] : "active");
		n++;
	}
	return n;
}

static long long pool_num(int nid, const char *file)
{
	char path[128];

	snprintf(path, sizeof(path), PCARVE_SYS "/node%d/%s", nid, file);
	return read_num(path);
}

static int pool_exists(int nid)
{
	char path[96];

	snprintf(path, sizeof(path), PCARVE_SYS "/node%d", nid);
	return access(path, F_OK) == 0;
}

TEST(pools_match_boot_parameter)
{
	int nid, n = load_expected(_metadata), found = 0;
	char path[96], mode[16];

	ASSERT_GE(n, 0) TH_LOG("PCARVE_EXPECT missing or malformed");
	for (nid = 0; nid < PCARVE_MAX_NODES; nid++) {
		struct expect *x = &expected[nid];

		EXPECT_EQ(x->present, pool_exists(nid))
			TH_LOG("node%d: pool %s but %s", nid,
			       x->present ? "expected" : "not expected",
			       pool_exists(nid) ? "present" : "absent");
		if (!x->present || !pool_exists(nid))
			continue;
		found++;
		EXPECT_EQ(x->size, pool_num(nid, "size"));
		EXPECT_EQ(x->granule, pool_num(nid, "granule"));
		snprintf(path, sizeof(path), PCARVE_SYS "/node%d/mode", nid);
		ASSERT_GT(read_word(path, mode, sizeof(mode)), 0);
		EXPECT_STREQ(x->mode, mode);
		ksft_print_msg("node%d: %llu bytes %s, granule %llu, %lld extents\n",
			       nid, x->size, mode, x->granule,
			       pool_num(nid, "nr_extents"));
	}
	EXPECT_EQ(n, found);
	EXPECT_EQ(n, read_num(PCARVE_SYS "/nr_pools"));
}

/* a quarantined pool says why; an active one has nothing to say */
TEST(state_and_reason)
{
	char path[128], word[32], reason[128];
	int nid;

	ASSERT_GE(load_expected(_metadata), 0);
	for (nid = 0; nid < PCARVE_MAX_NODES; nid++) {
		if (!expected[nid].present || !pool_exists(nid))
			continue;
		snprintf(path, sizeof(path), PCARVE_SYS "/node%d/state", nid);
		ASSERT_GT(read_word(path, word, sizeof(word)), 0);
		EXPECT_STREQ(expected[nid].state, word);
		snprintf(path, sizeof(path), PCARVE_SYS "/node%d/reason", nid);
		ASSERT_GE(read_word(path, reason, sizeof(reason)), 0);
		/* a reason exactly when the pool is not active */
		EXPECT_EQ(!strcmp(word, "active"), !*reason);
		ksft_print_msg("node%d: %s%s%s\n", nid, word,
			       *reason ? ": " : "", reason);
	}
}

TEST(extents_cover_the_pool)
{
	struct pcarve_ext ext[PCARVE_MAX_EXT];
	int nid, i, n;

	for (nid = 0; nid < PCARVE_MAX_NODES; nid++) {
		unsigned long long sum = 0, g;

		if (!pool_exists(nid))
			continue;
		g = pool_num(nid, "granule");
		n = pool_extents(nid, ext, PCARVE_MAX_EXT);
		ASSERT_GT(n, 0);
		EXPECT_EQ(n, pool_num(nid, "nr_extents"));
		for (i = 0; i < n; i++) {
			unsigned long long len = ext[i].end + 1 - ext[i].start;

			EXPECT_EQ(0, ext[i].start % g);
			EXPECT_EQ(0, len % g);
			sum += len;
			ksft_print_msg("node%d extent %d: 0x%llx-0x%llx\n",
				       nid, i, ext[i].start, ext[i].end);
		}
		EXPECT_EQ(pool_num(nid, "size"), sum);
	}
}

TEST(totals_add_up)
{
	long long size = 0, used = 0, free = 0;
	int nid;

	for (nid = 0; nid < PCARVE_MAX_NODES; nid++) {
		if (!pool_exists(nid))
			continue;
		size += pool_num(nid, "size");
		used += pool_num(nid, "used");
		free += pool_num(nid, "free");
	}
	EXPECT_EQ(size, read_num(PCARVE_SYS "/size"));
	EXPECT_EQ(used, read_num(PCARVE_SYS "/used"));
	EXPECT_EQ(free, read_num(PCARVE_SYS "/free"));
}

TEST(node_view_is_the_pool)
{
	char path[128];
	int nid;

	for (nid = 0; nid < PCARVE_MAX_NODES; nid++) {
		snprintf(path, sizeof(path),
			 "/sys/devices/system/node/node%d", nid);
		if (access(path, F_OK))
			continue;
		snprintf(path, sizeof(path),
			 "/sys/devices/system/node/node%d/pcarve/size", nid);
		EXPECT_EQ(pool_exists(nid), access(path, R_OK) == 0)
			TH_LOG("node%d: per-node view disagrees", nid);
		if (!pool_exists(nid))
			continue;
		EXPECT_EQ(pool_num(nid, "size"), read_num(path));
	}
}

TEST(permissions)
{
	static const char * const ro[] = {
		"free", "used", "mode", "direct_map", "state",
		"reason", "granule", "nr_extents",
	};
	/* written by root (CAP_SYS_ADMIN): resize and the handover switch */
	static const char * const rw[] = { "size", "handover" };
	char path[128];
	struct stat st;
	int nid, i;

	for (nid = 0; nid < PCARVE_MAX_NODES; nid++) {
		if (!pool_exists(nid))
			continue;
		for (i = 0; i < (int)ARRAY_SIZE(ro); i++) {
			snprintf(path, sizeof(path), PCARVE_SYS "/node%d/%s",
				 nid, ro[i]);
			ASSERT_EQ(0, stat(path, &st));
			EXPECT_EQ(0444, st.st_mode & 0777) TH_LOG("%s", path);
			/* no store: even root cannot open it for writing */
			EXPECT_EQ(-1, open(path, O_WRONLY));
			EXPECT_EQ(EACCES, errno);
		}
		for (i = 0; i < (int)ARRAY_SIZE(rw); i++) {
			snprintf(path, sizeof(path), PCARVE_SYS "/node%d/%s",
				 nid, rw[i]);
			ASSERT_EQ(0, stat(path, &st));
			EXPECT_EQ(0644, st.st_mode & 0777) TH_LOG("%s", path);
		}
		snprintf(path, sizeof(path), PCARVE_SYS "/node%d/extents", nid);
		ASSERT_EQ(0, stat(path, &st));
		EXPECT_EQ(0400, st.st_mode & 0777);
	}
}

/* physical addresses stay hidden from an unprivileged user */
TEST(extents_root_only)
{
	char path[128];
	int nid, fd;

	ASSERT_EQ(0, syscall(__NR_setgid, 65534));
	ASSERT_EQ(0, syscall(__NR_setuid, 65534));
	for (nid = 0; nid < PCARVE_MAX_NODES; nid++) {
		if (!pool_exists(nid))
			continue;
		snprintf(path, sizeof(path), PCARVE_SYS "/node%d/extents", nid);
		EXPECT_EQ(-1, open(path, O_RDONLY));
		EXPECT_EQ(EACCES, errno);
		snprintf(path, sizeof(path), PCARVE_SYS "/node%d/size", nid);
		fd = open(path, O_RDONLY);
		EXPECT_GE(fd, 0);
		if (fd >= 0)
			close(fd);
		/* and nobody else resizes a pool or turns its handover */
		EXPECT_EQ(-1, open(path, O_WRONLY));
		EXPECT_EQ(EACCES, errno);
		snprintf(path, sizeof(path), PCARVE_SYS "/node%d/handover",
			 nid);
		EXPECT_EQ(-1, open(path, O_WRONLY));
		EXPECT_EQ(EACCES, errno);
	}
}

TEST_HARNESS_MAIN
