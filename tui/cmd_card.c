/* `tabien card read` and `tabien card watch`. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "services/accounts/audit.h"
#include "services/card/card.h"
#include "services/card/card_monitor.h"
#include "services/base/format.h"
#include "services/base/privfile.h"
#include "services/accounts/settings.h"
#include "storage/db.h"
#include "tui/cmd.h"
#include "tui/text.h"

#define LABEL_COLS 34

struct card_opts {
	const char *reader;
	const char *photo_file;
	int wait_s;
	int json;
	int photo;
};

void cmd_error(FILE *f, const char *prefix, const tb_err *e)
{
	char en[512], th[768];

	if (e->id == TB_OK)  /* said already, in its own words */
		return;
	err_format(e, TB_LANG_EN, en, sizeof en);
	err_format(e, TB_LANG_TH, th, sizeof th);
	fprintf(f, "%s%s\n%*s%s\n", prefix, en, (int)strlen(prefix), "", th);
}

bool cmd_arg_fits(const char *name, const char *value, size_t size)
{
	if (strnlen(value, size) < size)
		return true;
	fprintf(stderr, "tabien: --%s: at most %zu bytes / --%s ยาวได้ไม่เกิน %zu ไบต์\n", name,
		size - 1, name, size - 1);
	return false;
}

void cmd_id_digits(char *out, size_t size, const char *in)
{
	char *w = out;

	for (const char *r = in; *r && w < out + size - 1; r++)
		if (*r != '-' && *r != ' ')
			*w++ = *r;
	*w = '\0';
}

static void print_row(const char *label, const char *value)
{
	text_pad(stdout, label, LABEL_COLS);
	printf("%s\n", value);
}

static const char *gender_text(enum card_gender g)
{
	switch (g) {
	case CARD_GENDER_MALE: return "ชาย / male";
	case CARD_GENDER_FEMALE: return "หญิง / female";
	default: return "ไม่ระบุ / unknown";
	}
}

static void date_both(const struct card_date *d, char *out, size_t size)
{
	char th[64], en[64];

	format_date(d, TB_LANG_TH, th, sizeof th);
	format_date(d, TB_LANG_EN, en, sizeof en);
	if (strcmp(th, en) == 0)
		snprintf(out, size, "%s", th);
	else
		snprintf(out, size, "%s (%s)", th, en);
}

static void print_text(const struct card_record *r, const struct card_read_stats *st,
		       const char *photo_file)
{
	char buf[2 * CARD_ADDR_MAX], date[160];
	struct card_date today;

	format_today(&today);
	print_row("Reader / เครื่องอ่าน", r->reader);
	format_cid(r->cid, buf, sizeof buf);
	if (r->flags & CARD_FLAG_CID_BAD)
		strncat(buf, "  [CHECK DIGIT WRONG / เลขตรวจสอบไม่ถูกต้อง]", sizeof buf - strlen(buf) - 1);
	print_row("Citizen ID / เลขประจำตัวประชาชน", buf);
	format_name(&r->th, 1, buf, sizeof buf);
	print_row("Name / ชื่อ", buf);
	format_name(&r->en, 0, buf, sizeof buf);
	print_row("Name (English) / ชื่อภาษาอังกฤษ", buf);
	date_both(&r->birth, date, sizeof date);
	print_row("Born / เกิดวันที่", date);
	print_row("Gender / เพศ", gender_text(r->gender));
	print_row("Address / ที่อยู่", r->addr.full);
	date_both(&r->issue, date, sizeof date);
	print_row("Issued / วันออกบัตร", date);
	date_both(&r->expiry, date, sizeof date);
	if (card_date_expired(&r->expiry, &today))
		strncat(date, "  [EXPIRED / บัตรหมดอายุ]", sizeof date - strlen(date) - 1);
	print_row("Expires / วันบัตรหมดอายุ", date);
	print_row("Issued at / สถานที่ออกบัตร", r->issuer);
	print_row("Request no. / เลขที่คำขอ", r->request_no);
	print_row("Photo no. / เลขใต้รูป", r->photo_no);
	if (r->photo)
		snprintf(buf, sizeof buf, "JPEG %zu bytes%s%s", r->photo_len,
			 photo_file ? " → " : "", photo_file ? photo_file : "");
	else if ((r->have & CARD_HAVE_PHOTO) && photo_file)
		snprintf(buf, sizeof buf, "damaged, %s not written / เสียหาย ไม่ได้เขียน %s", photo_file,
			 photo_file);
	else if (r->have & CARD_HAVE_PHOTO)
		snprintf(buf, sizeof buf, "damaged / เสียหาย");
	else
		snprintf(buf, sizeof buf, "not read / ไม่ได้อ่าน");
	print_row("Photo / รูปถ่าย", buf);
	print_row("Card / บัตร", r->atr_hex);
	snprintf(buf, sizeof buf, "%u exchanges, %zu bytes, %.0f ms (text %.0f ms)",
		 st->exchanges, st->bytes_received + st->bytes_sent, st->ms_total, st->ms_text);
	print_row("Read / การอ่าน", buf);
}

static void json_date(cJSON *o, const char *key, const struct card_date *d)
{
	char buf[32];
	format_date_be(d, buf, sizeof buf);
	cJSON_AddStringToObject(o, key, buf);
}

static cJSON *json_name(const struct card_name *n)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "title", n->title);
	cJSON_AddStringToObject(o, "first", n->first);
	cJSON_AddStringToObject(o, "middle", n->middle);
	cJSON_AddStringToObject(o, "last", n->last);
	return o;
}

static cJSON *json_record(const struct card_record *r, const struct card_read_stats *st)
{
	cJSON *o = cJSON_CreateObject(), *a, *w;
	struct card_date today;
	const char *gender = r->gender == CARD_GENDER_MALE ? "male"
			   : r->gender == CARD_GENDER_FEMALE ? "female" : "unknown";

	format_today(&today);
	cJSON_AddStringToObject(o, "reader", r->reader);
	cJSON_AddStringToObject(o, "atr", r->atr_hex);
	cJSON_AddStringToObject(o, "version", r->version);
	cJSON_AddStringToObject(o, "cid", r->cid);
	cJSON_AddBoolToObject(o, "cid_valid", !(r->flags & CARD_FLAG_CID_BAD));
	cJSON_AddItemToObject(o, "name_th", json_name(&r->th));
	cJSON_AddItemToObject(o, "name_en", json_name(&r->en));
	json_date(o, "birth", &r->birth);
	cJSON_AddStringToObject(o, "gender", gender);
	cJSON_AddStringToObject(o, "request_no", r->request_no);
	cJSON_AddStringToObject(o, "issuer", r->issuer);
	cJSON_AddStringToObject(o, "issuer_code", r->issuer_code);
	json_date(o, "issue", &r->issue);
	json_date(o, "expiry", &r->expiry);
	cJSON_AddBoolToObject(o, "lifelong", r->expiry.lifelong);
	cJSON_AddBoolToObject(o, "expired", card_date_expired(&r->expiry, &today));
	cJSON_AddStringToObject(o, "card_type", r->card_type);
	a = cJSON_AddObjectToObject(o, "address");
	cJSON_AddStringToObject(a, "house_no", r->addr.house_no);
	cJSON_AddStringToObject(a, "village_no", r->addr.village_no);
	cJSON_AddStringToObject(a, "trok", r->addr.trok);
	cJSON_AddStringToObject(a, "soi", r->addr.soi);
	cJSON_AddStringToObject(a, "road", r->addr.road);
	cJSON_AddStringToObject(a, "subdistrict", r->addr.subdistrict);
	cJSON_AddStringToObject(a, "district", r->addr.district);
	cJSON_AddStringToObject(a, "province", r->addr.province);
	cJSON_AddStringToObject(a, "extra", r->addr.extra);
	cJSON_AddStringToObject(a, "full", r->addr.full);
	cJSON_AddStringToObject(o, "photo_no", r->photo_no);
	cJSON_AddNumberToObject(o, "photo_bytes", (double)r->photo_len);
	w = cJSON_AddArrayToObject(o, "warnings");
	for (int i = 0; i < r->nwarn; i++) {
		cJSON *x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "code", err_code(r->warn[i].id));
		cJSON_AddStringToObject(x, "field", r->warn[i].field ? r->warn[i].field : "");
		cJSON_AddStringToObject(x, "en", err_message(r->warn[i].id, TB_LANG_EN));
		cJSON_AddStringToObject(x, "th", err_message(r->warn[i].id, TB_LANG_TH));
		cJSON_AddItemToArray(w, x);
	}
	if (st) {
		cJSON *s = cJSON_AddObjectToObject(o, "read");
		cJSON_AddNumberToObject(s, "exchanges", st->exchanges);
		cJSON_AddNumberToObject(s, "bytes_sent", (double)st->bytes_sent);
		cJSON_AddNumberToObject(s, "bytes_received", (double)st->bytes_received);
		cJSON_AddNumberToObject(s, "ms_text", st->ms_text);
		cJSON_AddNumberToObject(s, "ms_total", st->ms_total);
	}
	return o;
}

/* Prints and frees a JSON tree; the printed copy holds personal data, so it
 * is freed through the wiping allocator like the tree itself. */
static void json_emit(cJSON *o, int pretty)
{
	char *s = pretty ? cJSON_Print(o) : cJSON_PrintUnformatted(o);
	if (s) {
		puts(s);
		fflush(stdout);
		cJSON_free(s);
	}
	cJSON_Delete(o);
}

static void print_warnings(const struct card_record *r)
{
	for (int i = 0; i < r->nwarn; i++)
		cmd_error(stderr, "tabien: warning: ", &r->warn[i]);
}

/* A new private file, never written through a link or into an existing
 * file that others can read (see services/base/privfile.h). */
static int write_photo(const char *path, const struct card_record *r, tb_err *err)
{
	if (!r->photo)
		return err_set(err, TB_E_CARD_PHOTO, 0, "photo");
	return privfile_write(path, r->photo, r->photo_len, err);
}

static int parse_opts(int argc, char **argv, struct card_opts *o, int allow_read_only)
{
	static const struct option opts[] = {
		{ "reader", required_argument, NULL, 'r' },
		{ "wait", required_argument, NULL, 'w' },
		{ "photo", required_argument, NULL, 'p' },
		{ "no-photo", no_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ 0 },
	};
	int c;

	*o = (struct card_opts){ .photo = 1 };
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			/* The card service refuses it too; said here as a usage error. */
			if (!cmd_arg_fits("reader", optarg, CARD_READER_MAX))
				return -1;
			o->reader = optarg;
			break;
		case 'n': o->photo = 0; break;
		case 'j': o->json = 1; break;
		case 'w':
		case 'p':
			if (!allow_read_only) {
				fprintf(stderr, "tabien: --%s is for 'card read' only\n",
					c == 'w' ? "wait" : "photo");
				return -1;
			}
			if (c == 'p') {
				o->photo_file = optarg;
			} else {
				char *end;
				long v = strtol(optarg, &end, 10);
				if (*end || v < 0 || v > 86400) {
					fprintf(stderr, "tabien: --wait takes seconds (0 to 86400) / "
						"--wait ต้องเป็นจำนวนวินาที\n");
					return -1;
				}
				o->wait_s = (int)v;
			}
			break;
		default:
			return -1;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "tabien: unexpected '%s' / ไม่เข้าใจ '%s'\n", argv[optind], argv[optind]);
		return -1;
	}
	if (o->photo_file && !o->photo) {
		fprintf(stderr, "tabien: --photo and --no-photo together / ใช้ --photo กับ --no-photo พร้อมกันไม่ได้\n");
		return -1;
	}
	return 0;
}

/* A read from the command line is traceable too: on a terminal that is set
 * up, it goes to the audit trail under the system login that ran it.  On a
 * terminal that is not set up (no database) there is no trail to write. */
static void audit_cli_read(const struct card_record *r, const tb_err *failed)
{
	char who[80];
	struct passwd *pw = getpwuid(getuid());
	struct audit_entry e;
	tb_err err = { 0 };
	struct db *d = db_open(NULL, 0, &err);

	if (!d)
		return;
	if (settings_initialised(d, &err) > 0) {
		snprintf(who, sizeof who, "os:%s", pw ? pw->pw_name : "?");
		e = (struct audit_entry){ .username = who, .action = AUDIT_CARD_READ, .service = "",
					  .subject = r ? r->cid : "", .purpose = "",
					  .result = failed ? err_code(failed->id)
						  : r->nwarn ? err_code(r->warn[0].id) : "OK" };
		if (audit_append(d, &e, &err))
			cmd_error(stderr, "tabien: warning: ", &err);
	}
	db_close(&d);
}

static int card_read_cmd(int argc, char **argv)
{
	struct card_opts o;
	struct card_ctx *c;
	struct card_record *r = NULL;
	struct card_read_stats st;
	char reader[256];
	tb_err err = { 0 };
	int rc = EXIT_FAIL;

	if (parse_opts(argc, argv, &o, 1))
		return EXIT_USAGE;
	c = card_ctx_new(&err);
	if (!c)
		goto fail;
	if (card_wait(c, o.reader, o.wait_s * 1000, reader, sizeof reader, &err))
		goto fail;
	if (card_read(c, reader, o.photo ? CARD_READ_PHOTO : 0, NULL, &r, &st, &err)) {
		audit_cli_read(NULL, &err);
		goto fail;
	}
	audit_cli_read(r, NULL);
	/* A damaged photo is a warning like the others: the text read is still
	 * printed (exit 3) and the file is not written. */
	if (o.photo_file && !(r->flags & CARD_FLAG_PHOTO_BAD) && write_photo(o.photo_file, r, &err))
		goto fail;
	if (o.json)
		json_emit(json_record(r, &st), 1);
	else
		print_text(r, &st, o.photo_file);
	print_warnings(r);
	rc = r->flags ? EXIT_WARN : EXIT_OK;
	card_record_free(&r);
	card_ctx_free(&c);
	return rc;
fail:
	cmd_error(stderr, "tabien: ", &err);
	card_record_free(&r);
	card_ctx_free(&c);
	return rc;
}

static volatile sig_atomic_t watch_stop;

static void on_signal(int sig)
{
	(void)sig;
	watch_stop = 1;
}

static void watch_print(const struct card_event *ev, int json)
{
	char when[32], line[2048] = "";
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	format_clock(ts.tv_sec, "%H:%M:%S", when, sizeof when - 4);
	snprintf(when + strlen(when), sizeof when - strlen(when), ".%03ld", ts.tv_nsec / 1000000);
	if (json) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "time", when);
		cJSON_AddStringToObject(o, "event", card_event_name(ev->type));
		cJSON_AddStringToObject(o, "reader", ev->reader);
		if (ev->type == CARD_EV_INSERTED)
			cJSON_AddStringToObject(o, "atr", ev->atr_hex);
		if (ev->type == CARD_EV_PROGRESS) {
			cJSON_AddNumberToObject(o, "done", ev->done);
			cJSON_AddNumberToObject(o, "total", ev->total);
		}
		if (ev->err.id != TB_OK) {
			cJSON_AddStringToObject(o, "code", err_code(ev->err.id));
			cJSON_AddStringToObject(o, "en", err_message(ev->err.id, TB_LANG_EN));
			cJSON_AddStringToObject(o, "th", err_message(ev->err.id, TB_LANG_TH));
		}
		if (ev->rec)
			cJSON_AddItemToObject(o, "card", json_record(ev->rec,
					      ev->type == CARD_EV_DONE ? &ev->stats : NULL));
		json_emit(o, 0);
		return;
	}
	switch (ev->type) {
	case CARD_EV_SERVICE:
		if (ev->err.id == TB_OK)
			snprintf(line, sizeof line, "pcscd is running / บริการเครื่องอ่านบัตรทำงาน");
		break;
	case CARD_EV_READER_ADDED:
		snprintf(line, sizeof line, "reader added / พบเครื่องอ่าน: %s", ev->reader);
		break;
	case CARD_EV_READER_REMOVED:
		snprintf(line, sizeof line, "reader removed / เครื่องอ่านถูกถอด: %s", ev->reader);
		break;
	case CARD_EV_INSERTED:
		snprintf(line, sizeof line, "card inserted / เสียบบัตร: %s (ATR %s)", ev->reader, ev->atr_hex);
		break;
	case CARD_EV_PRESENT:
	case CARD_EV_HELD:       /* card watch reads every card: not asked for */
		snprintf(line, sizeof line, "card present, not read / มีบัตรอยู่ ยังไม่ได้อ่าน: %s", ev->reader);
		break;
	case CARD_EV_DATA: {
		char cid[32];
		format_cid(ev->rec->cid, cid, sizeof cid);
		snprintf(line, sizeof line, "read %s / อ่านแล้ว: %s",
			 ev->rec->have & CARD_HAVE_ADDRESS ? "address" : "name and ID", cid);
		break;
	}
	case CARD_EV_PROGRESS:
		snprintf(line, sizeof line, "photo / รูปถ่าย: %u/%u bytes", ev->done, ev->total);
		break;
	case CARD_EV_DONE: {
		char cid[32], name[CARD_TEXT_MAX * 4];
		format_cid(ev->rec->cid, cid, sizeof cid);
		format_name(&ev->rec->th, 1, name, sizeof name);
		snprintf(line, sizeof line, "read done / อ่านเสร็จ: %s %s (%u exchanges, %.0f ms)",
			 cid, name, ev->stats.exchanges, ev->stats.ms_total);
		break;
	}
	case CARD_EV_REMOVED:
		snprintf(line, sizeof line, "card removed / ถอดบัตร: %s", ev->reader);
		break;
	case CARD_EV_ERROR:
		break;
	}
	if (line[0])
		printf("%s %s\n", when, line);
	if (ev->err.id != TB_OK) {
		char prefix[64];
		snprintf(prefix, sizeof prefix, "%s error: ", when);
		cmd_error(stdout, prefix, &ev->err);
	}
	if (ev->rec)
		for (int i = 0; i < ev->rec->nwarn && ev->type == CARD_EV_DONE; i++)
			cmd_error(stdout, "             warning: ", &ev->rec->warn[i]);
	fflush(stdout);
}

static int card_watch_cmd(int argc, char **argv)
{
	struct card_opts o;
	struct card_monitor_opts mo;
	struct card_monitor *m;
	struct sigaction sa = { .sa_handler = on_signal };
	tb_err err = { 0 };

	if (parse_opts(argc, argv, &o, 0))
		return EXIT_USAGE;
	mo = (struct card_monitor_opts){ .read_photo = o.photo != 0 };
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	m = card_monitor_start(&mo, &err);
	if (!m) {
		cmd_error(stderr, "tabien: ", &err);
		return EXIT_FAIL;
	}
	while (!watch_stop) {
		struct pollfd p = { .fd = card_monitor_fd(m), .events = POLLIN };
		struct card_event ev;
		int got;

		if (poll(&p, 1, -1) < 0)
			continue;
		while ((got = card_monitor_next(m, &ev)) == 1) {
			if (!o.reader || !ev.reader[0] || strcmp(o.reader, ev.reader) == 0)
				watch_print(&ev, o.json);
			card_event_clear(&ev);
		}
		if (got < 0)
			break;
	}
	card_monitor_stop(&m);
	return EXIT_OK;
}

/* Lists the readers and what is in them: the first thing support asks. */
static int card_readers_cmd(int argc, char **argv)
{
	struct card_ctx *c;
	char names[4096];
	tb_err err = { 0 };
	int n;

	if (argc > 1) {
		fprintf(stderr, "usage: tabien card readers\n");
		return EXIT_USAGE;
	}
	c = card_ctx_new(&err);
	n = c ? card_readers(c, names, sizeof names, &err) : -1;
	if (n < 0) {
		cmd_error(stderr, "tabien: ", &err);
		card_ctx_free(&c);
		return EXIT_FAIL;
	}
	if (n == 0) {
		err_set(&err, TB_E_PCSC_NO_READER, 0, NULL);
		cmd_error(stderr, "tabien: ", &err);
		card_ctx_free(&c);
		return EXIT_FAIL;
	}
	for (const char *p = names; *p; p += strlen(p) + 1) {
		char got[128];
		tb_err werr = { 0 };
		int present = card_wait(c, p, 0, got, sizeof got, &werr) == 0;
		printf("%s\t%s\n", p, present ? "card / มีบัตร" : "empty / ไม่มีบัตร");
	}
	card_ctx_free(&c);
	return EXIT_OK;
}

int cmd_card(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "read") == 0)
		return card_read_cmd(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "watch") == 0)
		return card_watch_cmd(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "readers") == 0)
		return card_readers_cmd(argc - 1, argv + 1);
	fprintf(stderr, "usage: tabien card read|watch|readers [options] (tabien --help)\n");
	return EXIT_USAGE;
}
