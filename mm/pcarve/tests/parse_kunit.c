// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the pmem= parser (mm/pcarve/parse.c).
 *
 * The parser is __init, so these run from the init section at boot.
 */
#include <kunit/test.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "../internal.h"

struct pcarve_parse_case {
	const char *in;
	int ret;			/* number of specs, or -EINVAL */
	enum pcarve_parse_err reason;
	const char *tok;		/* expected offending token */
	/* first spec, when ret > 0 */
	unsigned int nid;
	u64 size;
	u64 granule;
	enum pcarve_mode mode;
	/* last spec, when ret > 1 */
	unsigned int last_nid;
	u64 last_size;
};

#define OK1(s, n, sz, g, m) \
	{ .in = s, .ret = 1, .nid = n, .size = sz, .granule = g, .mode = m }
#define OKN(s, r, n, sz, g, m, ln, lsz) \
	{ .in = s, .ret = r, .nid = n, .size = sz, .granule = g, .mode = m, \
	  .last_nid = ln, .last_size = lsz }
#define BAD(s, why, t) \
	{ .in = s, .ret = -EINVAL, .reason = PCARVE_ERR_##why, .tok = t }

static const struct pcarve_parse_case pcarve_parse_cases[] = {
	/* modes and granules */
	OK1("node0:1G", 0, SZ_1G, SZ_1G, PCARVE_NOMAP),
	OK1("node1:1G:nomap", 1, SZ_1G, SZ_1G, PCARVE_NOMAP),
	OK1("node1:1G:map", 1, SZ_1G, SZ_1G, PCARVE_MAP),
	OK1("node1:2G:hvo", 1, 2ULL * SZ_1G, SZ_1G, PCARVE_HVO),
	OK1("node1:2M:2M", 1, SZ_2M, SZ_2M, PCARVE_NOMAP),
	OK1("node1:4M:2M:map", 1, SZ_4M, SZ_2M, PCARVE_MAP),
	OK1("node1:6M:map:2M", 1, 6ULL * SZ_1M, SZ_2M, PCARVE_MAP),
	OK1("node1:1G:1G", 1, SZ_1G, SZ_1G, PCARVE_NOMAP),
	OK1("node1:3G:nomap:1G", 1, 3ULL * SZ_1G, SZ_1G, PCARVE_NOMAP),
	OK1("node1:3G:map:1G", 1, 3ULL * SZ_1G, SZ_1G, PCARVE_MAP),
	OK1("node1:2M:hvo:2M", 1, SZ_2M, SZ_2M, PCARVE_HVO),
	/* size suffixes */
	OK1("node2:1024M", 2, SZ_1G, SZ_1G, PCARVE_NOMAP),
	OK1("node2:2048m", 2, SZ_2G, SZ_1G, PCARVE_NOMAP),
	OK1("node2:1048576K", 2, SZ_1G, SZ_1G, PCARVE_NOMAP),
	OK1("node2:2048k:2M", 2, SZ_2M, SZ_2M, PCARVE_NOMAP),
	OK1("node2:1073741824", 2, SZ_1G, SZ_1G, PCARVE_NOMAP),
	OK1("node2:2097152:2M", 2, SZ_2M, SZ_2M, PCARVE_NOMAP),
	OK1("node2:1g", 2, SZ_1G, SZ_1G, PCARVE_NOMAP),
	OK1("node2:1T", 2, 1ULL << 40, SZ_1G, PCARVE_NOMAP),
	OK1("node2:4t", 2, 4ULL << 40, SZ_1G, PCARVE_NOMAP),
	OK1("node2:400G", 2, 400ULL << 30, SZ_1G, PCARVE_NOMAP),
	OK1("node2:01G", 2, SZ_1G, SZ_1G, PCARVE_NOMAP),
	/* node numbers and size boundaries */
	OK1("node007:1G", 7, SZ_1G, SZ_1G, PCARVE_NOMAP),
	OK1("node63:1G", 63, SZ_1G, SZ_1G, PCARVE_NOMAP),
	OK1("node65535:1G", 65535, SZ_1G, SZ_1G, PCARVE_NOMAP),
	OK1("node1:16777215T", 1, 16777215ULL << 40, SZ_1G, PCARVE_NOMAP),
	OK1("node1:18446744072635809792", 1, 0xffffffffc0000000ULL, SZ_1G,
	    PCARVE_NOMAP),
	/* several pools */
	OKN("node0:1G,node1:2G", 2, 0, SZ_1G, SZ_1G, PCARVE_NOMAP, 1, SZ_2G),
	OKN("node1:1G:map,node3:4M:2M", 2, 1, SZ_1G, SZ_1G, PCARVE_MAP,
	    3, SZ_4M),
	OKN("node0:1G,node1:1G:map,node2:1G:hvo,node3:2M:2M", 4, 0, SZ_1G,
	    SZ_1G, PCARVE_NOMAP, 3, SZ_2M),
	OKN("node1:400G,node0:400G:hvo", 2, 1, 400ULL << 30, SZ_1G,
	    PCARVE_NOMAP, 0, 400ULL << 30),
	/* empty */
	BAD("", EMPTY, ""),
	BAD(NULL, EMPTY, ""),
	BAD(",", EMPTY_SPEC, ""),
	BAD("node1:1G,", EMPTY_SPEC, ""),
	BAD(",node1:1G", EMPTY_SPEC, ""),
	BAD("node1:1G,,node2:1G", EMPTY_SPEC, ""),
	/* node */
	BAD("node:1G", NODE, "node"),
	BAD("nodex:1G", NODE, "nodex"),
	BAD("1:1G", NODE, "1"),
	BAD("Node1:1G", NODE, "Node1"),
	BAD("node-1:1G", NODE, "node-1"),
	BAD("node1x:1G", NODE, "node1x"),
	BAD("node 1:1G", NODE, "node 1"),
	BAD("nod1:1G", NODE, "nod1"),
	BAD("nodeX:1G", NODE, "nodeX"),
	BAD("1G", NODE, "1G"),
	BAD("node99999999999:1G", NODE_RANGE, "node99999999999"),
	BAD("node65536:1G", NODE_RANGE, "node65536"),
	BAD("node99999999999999999999:1G", NODE_RANGE,
	    "node99999999999999999999"),
	/* size */
	BAD("node1", NO_SIZE, ""),
	BAD("node1:", NO_SIZE, ""),
	BAD("node1::map", NO_SIZE, ""),
	BAD("node1:G", SIZE, "G"),
	BAD("node1:1GB", SIZE, "1GB"),
	BAD("node1:1P", SIZE, "1P"),
	BAD("node1:1E", SIZE, "1E"),
	BAD("node1:0x40000000", SIZE, "0x40000000"),
	BAD("node1:-1G", SIZE, "-1G"),
	BAD("node1:+1G", SIZE, "+1G"),
	BAD("node1:1.5G", SIZE, "1.5G"),
	BAD("node1: 1G", SIZE, " 1G"),
	BAD("node1:1G;node2:1G", SIZE, "1G;node2"),
	BAD("node1:0", SIZE_ZERO, "0"),
	BAD("node1:0G", SIZE_ZERO, "0G"),
	BAD("node1:0M:2M", SIZE_ZERO, "0M"),
	BAD("node1:16777216T", SIZE_RANGE, "16777216T"),
	BAD("node1:18446744073709551616", SIZE_RANGE, "18446744073709551616"),
	BAD("node1:99999999999999999999G", SIZE_RANGE,
	    "99999999999999999999G"),
	BAD("node1:17179869184G", SIZE_RANGE, "17179869184G"),
	/* granule alignment */
	BAD("node1:512M", UNALIGNED, "node1:512M"),
	BAD("node1:1025M", UNALIGNED, "node1:1025M"),
	BAD("node1:3M:2M", UNALIGNED, "node1:3M:2M"),
	BAD("node1:4K:2M", UNALIGNED, "node1:4K:2M"),
	BAD("node1:18446744073709551615", UNALIGNED,
	    "node1:18446744073709551615"),
	BAD("node1:2M:map", UNALIGNED, "node1:2M:map"),
	/* options */
	BAD("node1:1G:", EMPTY_OPTION, ""),
	BAD("node1:1G::map", EMPTY_OPTION, ""),
	BAD("node1:1G:foo", OPTION, "foo"),
	BAD("node1:1G:MAP", OPTION, "MAP"),
	BAD("node1:1G:Nomap", OPTION, "Nomap"),
	BAD("node1:1G:1g", OPTION, "1g"),
	BAD("node1:1G:4K", OPTION, "4K"),
	BAD("node1:1G:512M", OPTION, "512M"),
	BAD("node1:1G:map=1", OPTION, "map=1"),
	BAD("node1:1G:map:map", DUP_OPTION, "map"),
	BAD("node1:1G:nomap:nomap", DUP_OPTION, "nomap"),
	BAD("node1:2M:2M:2M", DUP_OPTION, "2M"),
	BAD("node1:1G:1G:1G", DUP_OPTION, "1G"),
	BAD("node1:1G:map:nomap", MODE_CONFLICT, "nomap"),
	BAD("node1:1G:hvo:map", MODE_CONFLICT, "map"),
	BAD("node1:1G:nomap:hvo", MODE_CONFLICT, "hvo"),
	BAD("node1:1G:1G:2M", GRANULE_CONFLICT, "2M"),
	BAD("node1:2G:2M:map:1G", GRANULE_CONFLICT, "1G"),
	/* duplicates and whole-parameter rejection */
	BAD("node1:1G,node1:2G", DUP_NODE, "node1:2G"),
	BAD("node1:1G,node1:1G", DUP_NODE, "node1:1G"),
	BAD("node1:1G,node01:2G:map", DUP_NODE, "node01:2G:map"),
	BAD("node0:1G,node2:1G,node0:1G", DUP_NODE, "node0:1G"),
	BAD("node1:1G,node2:foo", SIZE, "foo"),
	BAD("node1:1G:map,node2:1G:bogus", OPTION, "bogus"),
	BAD("node2:1G,node1:1G:bogus", OPTION, "bogus"),
	BAD("node1:1G,node2:512M", UNALIGNED, "node2:512M"),
};

static void pcarve_parse_case_desc(const struct pcarve_parse_case *c,
				   char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%s\"", c->in ?: "(null)");
}

KUNIT_ARRAY_PARAM(pcarve_parse, pcarve_parse_cases, pcarve_parse_case_desc);

static void __init pcarve_parse_test(struct kunit *test)
{
	const struct pcarve_parse_case *c = test->param_value;
	struct pcarve_spec specs[8];
	struct pcarve_parse_error err = { };
	int ret;

	ret = pcarve_parse(c->in, specs, ARRAY_SIZE(specs), &err);
	KUNIT_ASSERT_EQ(test, ret, c->ret);

	if (ret < 0) {
		KUNIT_EXPECT_EQ_MSG(test, err.reason, c->reason, "reason: %s",
				    pcarve_parse_reason(err.reason));
		KUNIT_EXPECT_EQ(test, err.tok_len, strlen(c->tok));
		if (err.tok_len == strlen(c->tok) && err.tok)
			KUNIT_EXPECT_EQ(test, memcmp(err.tok, c->tok,
						     err.tok_len), 0);
		/* the token lies inside the parsed string */
		if (c->in && err.tok) {
			KUNIT_EXPECT_TRUE(test, err.tok >= c->in);
			KUNIT_EXPECT_LE(test, (size_t)(err.tok - c->in) +
					err.tok_len, strlen(c->in));
		}
		return;
	}

	KUNIT_EXPECT_EQ(test, err.reason, PCARVE_OK);
	KUNIT_EXPECT_EQ(test, specs[0].nid, c->nid);
	KUNIT_EXPECT_EQ(test, specs[0].size, c->size);
	KUNIT_EXPECT_EQ(test, specs[0].granule, c->granule);
	KUNIT_EXPECT_EQ(test, specs[0].mode, c->mode);
	if (ret > 1) {
		KUNIT_EXPECT_EQ(test, specs[ret - 1].nid, c->last_nid);
		KUNIT_EXPECT_EQ(test, specs[ret - 1].size, c->last_size);
	}
}

/* build "node0:1G,node1:1G,...": n specs */
static char * __init pcarve_many(struct kunit *test, int n)
{
	char *s = kunit_kzalloc(test, n * 16 + 1, GFP_KERNEL);
	int i, len = 0;

	KUNIT_ASSERT_NOT_NULL(test, s);
	for (i = 0; i < n; i++)
		len += sprintf(s + len, "%snode%d:1G", i ? "," : "", i);
	return s;
}

static void __init pcarve_parse_max_specs_test(struct kunit *test)
{
	struct pcarve_spec *specs;
	struct pcarve_parse_error err;
	int n = 4, ret;

	specs = kunit_kcalloc(test, n + 1, sizeof(*specs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, specs);

	/* exactly max_specs fit */
	ret = pcarve_parse(pcarve_many(test, n), specs, n, &err);
	KUNIT_EXPECT_EQ(test, ret, n);
	KUNIT_EXPECT_EQ(test, specs[n - 1].nid, n - 1);

	/* one more is rejected, and nothing is written past the array */
	specs[n].nid = 0xdead;
	ret = pcarve_parse(pcarve_many(test, n + 1), specs, n, &err);
	KUNIT_EXPECT_EQ(test, ret, -EINVAL);
	KUNIT_EXPECT_EQ(test, err.reason, PCARVE_ERR_TOO_MANY);
	KUNIT_EXPECT_EQ(test, specs[n].nid, 0xdead);
}

static void __init pcarve_parse_all_nodes_test(struct kunit *test)
{
	struct pcarve_spec *specs;
	struct pcarve_parse_error err;
	int ret;

	specs = kunit_kcalloc(test, PCARVE_MAX_SPECS, sizeof(*specs),
			      GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, specs);
	ret = pcarve_parse(pcarve_many(test, PCARVE_MAX_SPECS), specs,
			   PCARVE_MAX_SPECS, &err);
	KUNIT_EXPECT_EQ(test, ret, PCARVE_MAX_SPECS);
}

static void __init pcarve_parse_reason_test(struct kunit *test)
{
	enum pcarve_parse_err r;

	/* every reason has its own message */
	for (r = PCARVE_ERR_EMPTY; r <= PCARVE_ERR_TOO_MANY; r++)
		KUNIT_EXPECT_STRNEQ(test, pcarve_parse_reason(r),
				    "unknown error");
	KUNIT_EXPECT_STREQ(test, pcarve_mode_name(PCARVE_NOMAP), "nomap");
	KUNIT_EXPECT_STREQ(test, pcarve_mode_name(PCARVE_HVO), "hvo");
	KUNIT_EXPECT_STREQ(test, pcarve_mode_name(PCARVE_MAP), "map");
}

/* __refdata: the cases are __init, and run only from the init section */
static struct kunit_case __refdata pcarve_parse_test_cases[] = {
	KUNIT_CASE_PARAM(pcarve_parse_test, pcarve_parse_gen_params),
	KUNIT_CASE(pcarve_parse_max_specs_test),
	KUNIT_CASE(pcarve_parse_all_nodes_test),
	KUNIT_CASE(pcarve_parse_reason_test),
	{}
};

static struct kunit_suite pcarve_parse_test_suite = {
	.name = "pcarve-parse",
	.test_cases = pcarve_parse_test_cases,
};

kunit_test_init_section_suites(&pcarve_parse_test_suite);

MODULE_DESCRIPTION("KUnit tests for the pcarve pmem= parser");
MODULE_LICENSE("GPL");
