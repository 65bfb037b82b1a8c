// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The switch daemon's two parsers of outside input: its configuration file
 * (first byte 'c') and control requests (anything else; the input is split
 * into lines as the socket does). Every reply must be one JSON object on
 * one line.
 */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/strbuf.h"
#include "switch/ctl_cmd.h"
#include "switch/sw.h"
#include "switch/swconf.h"

static struct sw *sw;

static void check_reply(const struct strbuf *out, size_t from)
{
	json_error_t e;
	const char *line = out->s + from;
	const char *nl = memchr(line, '\n', out->len - from);
	json_t *r;

	if (!nl || nl != out->s + out->len - 1)
		abort();
	r = json_loadb(line, (size_t)(nl - line), 0, &e);
	if (!r || !json_is_boolean(json_object_get(r, "ok")))
		abort();
	json_decref(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!sw) {
		log_setup("fuzz", LOG_LVL_ERR);
		sw = sw_new("fuzz", 64, 300);
		if (!sw || sw_set_snooping(sw, AF_INET6, true) || sw_set_snooping(sw, AF_INET, true))
			abort();
	}
	if (size && data[0] == 'c') {
		struct swconf *c = NULL;

		if (swconf_parse((const char *)data + 1, size - 1, "fuzz.json", &c) == 0) {
			if (!c || c->fdb_size == 0 || c->aging == 0)
				abort();
			for (size_t i = 0; i < c->n_ports; i++)
				if (!c->ports[i].name[0] || swconf_find(c, c->ports[i].name) != &c->ports[i])
					abort();
		} else if (c) {
			abort();
		}
		swconf_free(c);
		return 0;
	}
	size_t start = 0;

	for (size_t i = 0; i <= size; i++) {
		if (i < size && data[i] != '\n')
			continue;
		if (i > start) {
			struct strbuf out = STRBUF_INIT;

			ctl_cmd_handle(sw, (const char *)data + start, i - start, &out);
			if (sb_error(&out))
				abort();
			check_reply(&out, 0);
			sb_free(&out);
		}
		start = i + 1;
	}
	return 0;
}
