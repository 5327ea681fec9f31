// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the pmem= parser: mm/pcarve/parse.c itself, built
 * for user space with the kernel's tools/include (scripts/fuzz.sh).
 *
 * Every input is either rejected with -EINVAL, a known reason and a token
 * inside the input, or parsed into specs that keep the documented
 * invariants: 1..max specs, distinct nodes up to PCARVE_NID_LIMIT, a known
 * mode, a 2M or 1G granule, a non-zero size that is a multiple of it; and
 * written back as node<N>:<bytes>:<mode>:<granule> they parse to the same
 * specs.  Anything else aborts, which libFuzzer reports as a crash.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#include "parse.h"

#define MAX_SPECS	8

#define check(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "pmem_fuzz: %s:%d: %s\n",	\
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

static void check_specs(const struct pcarve_spec *s, int n)
{
	int i, j;

	check(n >= 1 && n <= MAX_SPECS);
	for (i = 0; i < n; i++) {
		check(s[i].nid <= PCARVE_NID_LIMIT);
		check(s[i].mode == PCARVE_NOMAP || s[i].mode == PCARVE_HVO ||
		      s[i].mode == PCARVE_MAP);
		check(s[i].granule == (2ULL << 20) ||
		      s[i].granule == (1ULL << 30));
		check(s[i].size && s[i].size % s[i].granule == 0);
		for (j = 0; j < i; j++)
			check(s[j].nid != s[i].nid);
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len)
{
	struct pcarve_spec specs[MAX_SPECS], again[MAX_SPECS];
	struct pcarve_parse_error err, err2;
	char *str = malloc(len + 1), back[MAX_SPECS * 64];
	size_t off = 0;
	int n, i;

	check(str);
	/* specs are compared whole below: no stale padding */
	memset(specs, 0, sizeof(specs));
	memset(again, 0, sizeof(again));
	memcpy(str, data, len);
	str[len] = '\0';
	len = strlen(str);	/* the kernel sees up to the first NUL */
	memset(&err, 0xa5, sizeof(err));
	n = pcarve_parse(str, specs, MAX_SPECS, &err);
	if (n < 0) {
		check(n == -EINVAL);
		check(err.reason > PCARVE_OK &&
		      err.reason <= PCARVE_ERR_TOO_MANY);
		check(strcmp(pcarve_parse_reason(err.reason), "unknown error"));
		check(err.tok >= str && err.tok + err.tok_len <= str + len);
		free(str);
		return 0;
	}
	check(err.reason == PCARVE_OK);
	check_specs(specs, n);

	for (i = 0; i < n; i++)
		off += snprintf(back + off, sizeof(back) - off,
				"%snode%u:%llu:%s:%s", i ? "," : "",
				specs[i].nid,
				(unsigned long long)specs[i].size,
				pcarve_mode_name(specs[i].mode),
				specs[i].granule == (1ULL << 30) ? "1G" : "2M");
	check(off < sizeof(back));
	check(pcarve_parse(back, again, MAX_SPECS, &err2) == n);
	check(!memcmp(specs, again, n * sizeof(specs[0])));
	free(str);
	return 0;
}
