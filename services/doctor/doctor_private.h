/* Shared by doctor.c and doctor_gateway.c only. */
#ifndef TABIEN_DOCTOR_PRIVATE_H
#define TABIEN_DOCTOR_PRIVATE_H

#include "services/doctor/doctor.h"

struct doctor_ctx {
	const struct doctor_opts *o;
	int timeout_ms;
	void (*fn)(void *ud, const struct doctor_check *c);
	void *ud;
	enum doctor_status worst;
	char agent[14];            /* the officer the token is asked for, "" when none */
};

/* Hands one check's result on; fact is printf-like. */
void doctor_report(struct doctor_ctx *x, enum doctor_id id, enum doctor_status st, const tb_err *e,
		   const char *fact, ...) __attribute__((format(printf, 5, 6)));

#endif
