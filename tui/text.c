#include "config.h"

#include "tui/text.h"

#include <langinfo.h>
#include <locale.h>
#include <string.h>
#include <wchar.h>

int text_locale_init(void)
{
	const char *set = setlocale(LC_ALL, "");

	if (set && strcmp(nl_langinfo(CODESET), "UTF-8") == 0)
		return 1;
	if (setlocale(LC_CTYPE, "C.UTF-8") && strcmp(nl_langinfo(CODESET), "UTF-8") == 0)
		return 0;
	return -1;
}

int text_width(const char *s)
{
	mbstate_t st = { 0 };
	size_t left = strlen(s);
	int cols = 0;

	while (left > 0) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s, left, &st);
		int w;

		if (n == (size_t)-1 || n == (size_t)-2) {
			memset(&st, 0, sizeof st);
			cols++;
			s++;
			left--;
			continue;
		}
		if (n == 0)
			break;
		w = wcwidth(wc);
		cols += w < 0 ? 1 : w;
		s += n;
		left -= n;
	}
	return cols;
}

void text_pad(FILE *f, const char *s, int cols)
{
	fputs(s, f);
	for (int w = text_width(s); w < cols; w++)
		fputc(' ', f);
}
