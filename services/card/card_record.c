/* The decoded card record: allocation, deep copy, wiping free, warnings. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "services/card/card_record.h"

struct card_record *card_record_new(void)
{
	return calloc(1, sizeof(struct card_record));
}

struct card_record *card_record_dup(const struct card_record *r)
{
	struct card_record *copy;

	if (!r)
		return NULL;
	copy = malloc(sizeof(*copy));
	if (!copy)
		return NULL;
	memcpy(copy, r, sizeof(*copy));
	copy->photo = NULL;
	copy->photo_len = 0;
	if (r->photo && r->photo_len > 0) {
		copy->photo = malloc(r->photo_len);
		if (!copy->photo) {
			/* The copy already holds personal data: wipe it too. */
			explicit_bzero(copy, sizeof(*copy));
			free(copy);
			return NULL;
		}
		memcpy(copy->photo, r->photo, r->photo_len);
		copy->photo_len = r->photo_len;
	}
	return copy;
}

void card_record_free(struct card_record **r)
{
	if (!r || !*r)
		return;
	/* explicit_bzero: a plain memset before free may be optimised away. */
	if ((*r)->photo) {
		explicit_bzero((*r)->photo, (*r)->photo_len);
		free((*r)->photo);
	}
	explicit_bzero(*r, sizeof(**r));
	free(*r);
	*r = NULL;
}

void card_record_warn(struct card_record *r, unsigned flag, enum tb_err_id id,
		      long detail, const char *field)
{
	if (!r)
		return;
	r->flags |= flag;
	if (r->nwarn < 0)
		r->nwarn = 0;
	if (r->nwarn >= CARD_WARN_MAX)
		return;
	r->warn[r->nwarn].id = id;
	r->warn[r->nwarn].detail = detail;
	r->warn[r->nwarn].field = field;
	r->nwarn++;
}
