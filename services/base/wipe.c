#include "config.h"

#include "services/base/wipe.h"

#include <malloc.h>
#include <stdlib.h>
#include <string.h>

void *wipe_malloc(size_t size)
{
	return malloc(size);
}

void wipe_free(void *p)
{
	if (!p)
		return;
	explicit_bzero(p, malloc_usable_size(p));
	free(p);
}
