/* Allocation that wipes memory when it is freed: for libraries (cJSON) that
 * copy personal data into buffers we do not own.  glibc's malloc_usable_size
 * tells how much to wipe. */
#ifndef TABIEN_WIPE_H
#define TABIEN_WIPE_H

#include <stddef.h>

void *wipe_malloc(size_t size);
void wipe_free(void *p);

#endif
