/* Internal to services/: the PC/SC handle behind a card_ctx, for the card
 * monitor's SCardGetStatusChange.  Nothing outside services/ includes this. */
#ifndef TABIEN_CARD_PCSC_H
#define TABIEN_CARD_PCSC_H

#include <winscard.h>

#include "services/card/card.h"

SCARDCONTEXT card_ctx_handle(const struct card_ctx *c);

#endif
