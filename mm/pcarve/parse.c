// SPDX-License-Identifier: GPL-2.0
/*
 * The pmem= grammar, as a pure function of the string:
 *
 *	pmem=<spec>[,<spec>...]
 *	<spec>   := node<N>:<size>[:<option>...]
 *	<size>   := decimal number with an optional K, M, G or T suffix
 *	<option> := nomap | hvo | map | 1G | 2M
 *
 * Nothing here looks at memory or at which nodes exist: that is for the
 * caller, once NUMA is known.  See Documentation/admin-guide/mm/pcarve.rst.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/align.h>
#include <linux/kernel.h>
#include <linux/overflow.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "parse.h"

static const char * const pcarve_mode_names[] = {
	[PCARVE_NOMAP]	= "nomap",
	[PCARVE_HVO]	= "hvo",
	[PCARVE_MAP]	= "map",
};

/**
 * pcarve_mode_name() - the pmem= and sysfs spelling of a pool mode
 * @mode: the mode
 *
 * Return: a static string.
 */
const char *pcarve_mode_name(enum pcarve_mode mode)
{
	if (mode >= ARRAY_SIZE(pcarve_mode_names))
		return "unknown";
	return pcarve_mode_names[mode];
}

/**
 * pcarve_parse_reason() - describe why pcarve_parse() failed
 * @reason: the reason it stored in &struct pcarve_parse_error
 *
 * Return: a static string for the boot message.
 */
const char * __init pcarve_parse_reason(enum pcarve_parse_err reason)
{
	switch (reason) {
	case PCARVE_OK:			return "no error";
	case PCARVE_ERR_EMPTY:		return "empty parameter";
	case PCARVE_ERR_EMPTY_SPEC:	return "empty pool spec";
	case PCARVE_ERR_NODE:		return "expected node<N>:";
	case PCARVE_ERR_NODE_RANGE:	return "node number too large";
	case PCARVE_ERR_NO_SIZE:	return "missing size";
	case PCARVE_ERR_SIZE:		return "bad size (decimal number, optional K/M/G/T)";
	case PCARVE_ERR_SIZE_RANGE:	return "size overflows";
	case PCARVE_ERR_SIZE_ZERO:	return "size is zero";
	case PCARVE_ERR_EMPTY_OPTION:	return "empty option";
	case PCARVE_ERR_OPTION:		return "unknown option (nomap, hvo, map, 1G, 2M)";
	case PCARVE_ERR_DUP_OPTION:	return "option given twice";
	case PCARVE_ERR_MODE_CONFLICT:	return "more than one mode";
	case PCARVE_ERR_GRANULE_CONFLICT: return "more than one granule";
	case PCARVE_ERR_UNALIGNED:	return "size is not a multiple of the granule";
	case PCARVE_ERR_DUP_NODE:	return "node given twice";
	case PCARVE_ERR_TOO_MANY:	return "too many pools";
	}
	return "unknown error";
}

static int __init pcarve_fail(struct pcarve_parse_error *err,
			      enum pcarve_parse_err reason,
			      const char *tok, size_t len)
{
	err->reason = reason;
	err->tok = tok;
	err->tok_len = len;
	return -EINVAL;
}

/* parse decimal digits in [s, end) into *val; false on overflow */
static bool __init pcarve_parse_u64(const char *s, const char *end, u64 *val)
{
	u64 v = 0;

	for (; s < end; s++) {
		if (check_mul_overflow(v, (u64)10, &v) ||
		    check_add_overflow(v, (u64)(*s - '0'), &v))
			return false;
	}
	*val = v;
	return true;
}

static size_t __init pcarve_digits(const char *s, const char *end)
{
	const char *p = s;

	while (p < end && *p >= '0' && *p <= '9')
		p++;
	return p - s;
}

/* <size> in [s, end) */
static int __init pcarve_parse_size(const char *s, const char *end, u64 *size,
				    struct pcarve_parse_error *err)
{
	size_t n = pcarve_digits(s, end);
	unsigned int shift = 0;
	u64 v;

	if (s == end)
		return pcarve_fail(err, PCARVE_ERR_NO_SIZE, s, 0);
	if (!n)
		return pcarve_fail(err, PCARVE_ERR_SIZE, s, end - s);
	if (end - s > n + 1)
		return pcarve_fail(err, PCARVE_ERR_SIZE, s, end - s);
	if (end - s == n + 1) {
		static const char units[] = "KkMmGgTt";
		const char *unit = strchr(units, s[n]);

		if (!unit || !*unit)
			return pcarve_fail(err, PCARVE_ERR_SIZE, s, end - s);
		/* K, M, G, T: 10, 20, 30, 40 */
		shift = 10 * ((unit - units) / 2 + 1);
	}
	/* v << shift, with the overflow check tools/include also has */
	if (!pcarve_parse_u64(s, s + n, &v) ||
	    check_mul_overflow(v, (u64)1 << shift, &v))
		return pcarve_fail(err, PCARVE_ERR_SIZE_RANGE, s, end - s);
	if (!v)
		return pcarve_fail(err, PCARVE_ERR_SIZE_ZERO, s, end - s);
	*size = v;
	return 0;
}

static bool __init pcarve_tok_is(const char *s, size_t len, const char *word)
{
	return len == strlen(word) && !memcmp(s, word, len);
}

/* one <spec> in [s, end) */
static int __init pcarve_parse_spec(const char *s, const char *end,
				    struct pcarve_spec *spec,
				    struct pcarve_parse_error *err)
{
	bool have_mode = false, have_granule = false;
	const char *p, *colon;
	size_t n;
	u64 nid;
	int ret;

	if (s == end)
		return pcarve_fail(err, PCARVE_ERR_EMPTY_SPEC, s, 0);

	/* node<N>: */
	colon = memchr(s, ':', end - s);
	if (!colon)
		colon = end;
	if (colon - s < 5 || memcmp(s, "node", 4))
		return pcarve_fail(err, PCARVE_ERR_NODE, s, colon - s);
	p = s + 4;
	n = pcarve_digits(p, colon);
	if (n != colon - p)
		return pcarve_fail(err, PCARVE_ERR_NODE, s, colon - s);
	if (!pcarve_parse_u64(p, colon, &nid) || nid > PCARVE_NID_LIMIT)
		return pcarve_fail(err, PCARVE_ERR_NODE_RANGE, s, colon - s);
	if (colon == end)
		return pcarve_fail(err, PCARVE_ERR_NO_SIZE, end, 0);

	/* <size> */
	p = colon + 1;
	colon = memchr(p, ':', end - p);
	if (!colon)
		colon = end;
	ret = pcarve_parse_size(p, colon, &spec->size, err);
	if (ret)
		return ret;

	spec->nid = nid;
	spec->mode = PCARVE_NOMAP;
	spec->granule = SZ_1G;

	/* [:<option>...] */
	while (colon < end) {
		enum pcarve_mode mode;
		u64 granule;

		p = colon + 1;
		colon = memchr(p, ':', end - p);
		if (!colon)
			colon = end;
		n = colon - p;
		if (!n)
			return pcarve_fail(err, PCARVE_ERR_EMPTY_OPTION, p, 0);

		if (pcarve_tok_is(p, n, "1G") || pcarve_tok_is(p, n, "2M")) {
			granule = *p == '1' ? SZ_1G : SZ_2M;
			if (have_granule)
				return pcarve_fail(err, granule == spec->granule ?
						   PCARVE_ERR_DUP_OPTION :
						   PCARVE_ERR_GRANULE_CONFLICT,
						   p, n);
			have_granule = true;
			spec->granule = granule;
			continue;
		}

		for (mode = 0; mode < ARRAY_SIZE(pcarve_mode_names); mode++)
			if (pcarve_tok_is(p, n, pcarve_mode_names[mode]))
				break;
		if (mode == ARRAY_SIZE(pcarve_mode_names))
			return pcarve_fail(err, PCARVE_ERR_OPTION, p, n);
		if (have_mode)
			return pcarve_fail(err, mode == spec->mode ?
					   PCARVE_ERR_DUP_OPTION :
					   PCARVE_ERR_MODE_CONFLICT, p, n);
		have_mode = true;
		spec->mode = mode;
	}

	if (!IS_ALIGNED(spec->size, spec->granule))
		return pcarve_fail(err, PCARVE_ERR_UNALIGNED, s, end - s);
	return 0;
}

/**
 * pcarve_parse() - parse the value of the pmem= boot parameter
 * @str: the value, without "pmem="; need not be writable
 * @specs: filled with one entry per pool, in the order given
 * @max_specs: room in @specs
 * @err: on failure, the reason and the offending token within @str
 *
 * The parameter is taken whole or not at all: any error rejects every spec,
 * so that a typo never leaves a host with half of the pools it asked for.
 * Nodes are not checked against the machine here.
 *
 * Context: early boot, before NUMA is known; pure function.
 * Return: the number of specs (at least one), or -EINVAL with @err filled.
 */
int __init pcarve_parse(const char *str, struct pcarve_spec *specs,
			int max_specs, struct pcarve_parse_error *err)
{
	const char *s = str, *end;
	int nr = 0, i, ret;

	if (!str || !*str)
		return pcarve_fail(err, PCARVE_ERR_EMPTY, str, 0);

	for (;;) {
		end = strchrnul(s, ',');
		if (nr == max_specs)
			return pcarve_fail(err, PCARVE_ERR_TOO_MANY, s, end - s);
		ret = pcarve_parse_spec(s, end, &specs[nr], err);
		if (ret)
			return ret;
		for (i = 0; i < nr; i++)
			if (specs[i].nid == specs[nr].nid)
				return pcarve_fail(err, PCARVE_ERR_DUP_NODE,
						   s, end - s);
		nr++;
		if (!*end)
			break;
		s = end + 1;
	}
	err->reason = PCARVE_OK;
	return nr;
}
