/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pmem= parser (parse.c): a pure function of the string, built with
 * the kernel and, for the fuzzer (tests/fuzz/), in user space with the
 * kernel's tools/include; so this header needs nothing else.
 */
#ifndef _MM_PCARVE_PARSE_H
#define _MM_PCARVE_PARSE_H

#include <linux/pcarve.h>
#include <linux/types.h>

/* largest node number the parser accepts before calling it an overflow */
#define PCARVE_NID_LIMIT	((1U << 16) - 1)

/**
 * struct pcarve_spec - one parsed ``node<N>:<size>[:<option>...]`` entry
 * @nid: node number as written (not yet checked against online nodes)
 * @size: pool size in bytes, a non-zero multiple of @granule
 * @granule: extent alignment and allocation unit, SZ_1G or SZ_2M
 * @mode: how the pool is kept
 */
struct pcarve_spec {
	unsigned int nid;
	u64 size;
	u64 granule;
	enum pcarve_mode mode;
};

/* why pcarve_parse() rejected a parameter; see pcarve_parse_reason() */
enum pcarve_parse_err {
	PCARVE_OK,
	PCARVE_ERR_EMPTY,
	PCARVE_ERR_EMPTY_SPEC,
	PCARVE_ERR_NODE,
	PCARVE_ERR_NODE_RANGE,
	PCARVE_ERR_NO_SIZE,
	PCARVE_ERR_SIZE,
	PCARVE_ERR_SIZE_RANGE,
	PCARVE_ERR_SIZE_ZERO,
	PCARVE_ERR_EMPTY_OPTION,
	PCARVE_ERR_OPTION,
	PCARVE_ERR_DUP_OPTION,
	PCARVE_ERR_MODE_CONFLICT,
	PCARVE_ERR_GRANULE_CONFLICT,
	PCARVE_ERR_UNALIGNED,
	PCARVE_ERR_DUP_NODE,
	PCARVE_ERR_TOO_MANY,
};

/**
 * struct pcarve_parse_error - where and why a parameter was rejected
 * @reason: what is wrong
 * @tok: the offending token (points into the parsed string)
 * @tok_len: its length
 */
struct pcarve_parse_error {
	enum pcarve_parse_err reason;
	const char *tok;
	size_t tok_len;
};

int pcarve_parse(const char *str, struct pcarve_spec *specs, int max_specs,
		 struct pcarve_parse_error *err);
const char *pcarve_parse_reason(enum pcarve_parse_err reason);
const char *pcarve_mode_name(enum pcarve_mode mode);

#endif /* _MM_PCARVE_PARSE_H */
