// SPDX-License-Identifier: GPL-2.0-or-later
#include "switch/swconf.h"

#include <errno.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/errmsg.h"
#include "common/fsutil.h"
#include "common/util.h"
#include "switch/fdb.h"

/* jansson keeps no positions for values, so errors about a value name its
 * path ("ports[2].vlan") instead of a column; syntax errors have both. */

static int bad(const char *origin, const char *path, const char *what)
{
	return err_msg(-EINVAL, "%s: %s: %s", origin, path, what);
}

static int check_keys(json_t *obj, const char *const *allowed, const char *origin, const char *path)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		bool ok = false;

		for (const char *const *a = allowed; *a; a++)
			ok |= !strcmp(*a, key);
		if (!ok)
			return err_msg(-EINVAL, "%s: %s: unknown key \"%s\"", origin, path, key);
	}
	return 0;
}

static int get_uint(json_t *v, long long lo, long long hi, const char *origin, const char *path,
		    uint32_t *out)
{
	long long n;

	if (!json_is_integer(v))
		return err_msg(-EINVAL, "%s: %s: must be an integer", origin, path);
	n = json_integer_value(v);
	if (n < lo || n > hi)
		return err_msg(-EINVAL, "%s: %s: %lld is out of range %lld..%lld", origin, path, n, lo,
			       hi);
	*out = (uint32_t)n;
	return 0;
}

static bool ifname_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= IFNAMSIZ || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '/' || s[i] == ':' || s[i] <= ' ' || (unsigned char)s[i] >= 0x7f)
			return false;
	return true;
}

static int parse_port(json_t *o, size_t idx, const char *origin, struct swconf_port *p)
{
	static const char *const keys[] = { "name", "vlan", "trunk", "native", NULL };
	char path[64];
	json_t *name, *vlan, *trunk, *native;
	uint32_t vid = VLAN_DEFAULT, nat = VLAN_DEFAULT;
	int rc;

	snprintf(path, sizeof(path), "ports[%zu]", idx);
	if (!json_is_object(o))
		return bad(origin, path, "must be an object");
	rc = check_keys(o, keys, origin, path);
	if (rc)
		return rc;
	name = json_object_get(o, "name");
	if (!json_is_string(name))
		return bad(origin, path, "needs \"name\", a string");
	if (!ifname_ok(json_string_value(name)))
		return err_msg(-EINVAL, "%s: %s.name: \"%s\" is not a valid interface name (1-15 characters, no '/', ':' or spaces)",
			       origin, path, json_string_value(name));
	strcpy(p->name, json_string_value(name));
	vlan = json_object_get(o, "vlan");
	trunk = json_object_get(o, "trunk");
	native = json_object_get(o, "native");
	if (vlan && trunk)
		return bad(origin, path, "\"vlan\" (access port) and \"trunk\" exclude each other");
	if (native && !trunk)
		return bad(origin, path, "\"native\" needs \"trunk\"");
	if (!trunk) {
		if (vlan) {
			snprintf(path, sizeof(path), "ports[%zu].vlan", idx);
			rc = get_uint(vlan, 1, VLAN_MAX_VID, origin, path, &vid);
			if (rc)
				return rc;
		}
		vlan_port_access(&p->vlan, (uint16_t)vid);
		return 0;
	}
	if (!json_is_array(trunk) || json_array_size(trunk) == 0 || json_array_size(trunk) > VLAN_MAX_VID) {
		snprintf(path, sizeof(path), "ports[%zu].trunk", idx);
		return bad(origin, path, "must be a non-empty array of VLAN ids");
	}
	uint16_t vids[VLAN_MAX_VID];
	size_t n = json_array_size(trunk);

	for (size_t i = 0; i < n; i++) {
		uint32_t v = 0;

		snprintf(path, sizeof(path), "ports[%zu].trunk[%zu]", idx, i);
		rc = get_uint(json_array_get(trunk, i), 1, VLAN_MAX_VID, origin, path, &v);
		if (rc)
			return rc;
		for (size_t j = 0; j < i; j++)
			if (vids[j] == v)
				return err_msg(-EINVAL, "%s: %s: VLAN %u is listed twice (ports[%zu].trunk[%zu])",
					       origin, path, v, idx, j);
		vids[i] = (uint16_t)v;
	}
	if (native) {
		snprintf(path, sizeof(path), "ports[%zu].native", idx);
		rc = get_uint(native, 0, VLAN_MAX_VID, origin, path, &nat);
		if (rc)
			return rc;
	}
	vlan_port_trunk(&p->vlan, vids, n, (uint16_t)nat);
	return 0;
}

static int parse_fdb(json_t *o, const char *origin, struct swconf *c)
{
	static const char *const keys[] = { "size", "aging", NULL };
	json_t *v;
	int rc;

	if (!json_is_object(o))
		return bad(origin, "fdb", "must be an object");
	rc = check_keys(o, keys, origin, "fdb");
	if (rc)
		return rc;
	v = json_object_get(o, "size");
	if (v && (rc = get_uint(v, 1, FDB_MAX_SIZE, origin, "fdb.size", &c->fdb_size)))
		return rc;
	v = json_object_get(o, "aging");
	if (v && (rc = get_uint(v, 1, SWCONF_MAX_AGING, origin, "fdb.aging", &c->aging)))
		return rc;
	return 0;
}

/* An optional boolean switch that is on by default: *off when false. */
static int get_off(json_t *root, const char *key, const char *origin, bool *off)
{
	json_t *v = json_object_get(root, key);

	if (!v)
		return 0;
	if (!json_is_boolean(v))
		return bad(origin, key, "must be true or false");
	*off = !json_is_true(v);
	return 0;
}

static int parse_root(json_t *root, const char *origin, struct swconf *c)
{
	static const char *const keys[] = { "switch",	     "fdb",	    "fast_path", "mld_snooping",
					    "igmp_snooping", "ring_ports", "ports",	  NULL };
	json_t *v, *ports;
	int rc;

	if (!json_is_object(root))
		return err_msg(-EINVAL, "%s: the configuration must be a JSON object", origin);
	rc = check_keys(root, keys, origin, "top level");
	if (rc)
		return rc;
	v = json_object_get(root, "switch");
	if (v) {
		if (!json_is_string(v) || !json_string_length(v) ||
		    json_string_length(v) >= sizeof(c->name) || strlen(json_string_value(v)) != json_string_length(v))
			return bad(origin, "switch", "must be a name of 1-63 characters");
		strcpy(c->name, json_string_value(v));
	}
	v = json_object_get(root, "fdb");
	if (v && (rc = parse_fdb(v, origin, c)))
		return rc;
	v = json_object_get(root, "fast_path");
	if (v) {
		if (!json_is_boolean(v))
			return bad(origin, "fast_path", "must be true or false");
		c->no_fast_path = !json_is_true(v);
	}
	if ((rc = get_off(root, "mld_snooping", origin, &c->no_mld_snooping)) ||
	    (rc = get_off(root, "igmp_snooping", origin, &c->no_igmp_snooping)))
		return rc;
	v = json_object_get(root, "ring_ports");
	if (v && (rc = get_uint(v, 1, SWCONF_MAX_RING_PORTS, origin, "ring_ports", &c->ring_ports)))
		return rc;
	ports = json_object_get(root, "ports");
	if (!ports)
		return 0;
	if (!json_is_array(ports))
		return bad(origin, "ports", "must be an array");
	if (json_array_size(ports) > SWCONF_MAX_PORTS)
		return err_msg(-EINVAL, "%s: ports: more than %d ports", origin, SWCONF_MAX_PORTS);
	c->n_ports = json_array_size(ports);
	c->ports = calloc(c->n_ports ? c->n_ports : 1, sizeof(*c->ports));
	if (!c->ports)
		return -ENOMEM;
	for (size_t i = 0; i < c->n_ports; i++) {
		rc = parse_port(json_array_get(ports, i), i, origin, &c->ports[i]);
		if (rc)
			return rc;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(c->ports[j].name, c->ports[i].name))
				return err_msg(-EINVAL, "%s: ports[%zu]: \"%s\" is listed twice", origin, i,
					       c->ports[i].name);
	}
	return 0;
}

/* Where a syntax error is. jansson puts an error at the end of the file
 * after its last newline (a brace missing) at column 0 of a line past the
 * text: say the end of the last line that has something, where the text
 * stopped making sense. */
static void syntax_at(const char *text, size_t len, const json_error_t *e, int *line, int *col)
{
	size_t end = e->position > 0 && (size_t)e->position <= len ? (size_t)e->position : len;
	size_t i = end, bol;

	if (e->column > 0)
		return;
	while (i > 0 && strchr(" \t\r\n", text[i - 1]))
		i--;
	if (i == 0) {
		*line = 1;
		*col = 1;
		return;
	}
	*line = 1;
	for (size_t k = 0; k < i; k++)
		*line += text[k] == '\n';
	for (bol = i; bol > 0 && text[bol - 1] != '\n'; bol--)
		;
	*col = (int)(i - bol);
}

int swconf_parse(const char *text, size_t len, const char *origin, struct swconf **out)
{
	struct swconf *c;
	json_error_t jerr;
	json_t *root;
	int rc;

	*out = NULL;
	if (len > SWCONF_MAX_BYTES)
		return err_msg(-EFBIG, "%s: larger than %u bytes", origin, SWCONF_MAX_BYTES);
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		int line = jerr.line, col = jerr.column;

		syntax_at(text, len, &jerr, &line, &col);
		return err_msg(-EINVAL, "%s:%d:%d: %s", origin, line, col, jerr.text);
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		json_decref(root);
		return -ENOMEM;
	}
	strcpy(c->name, "nslab-switch");
	c->fdb_size = FDB_DEFAULT_SIZE;
	c->aging = FDB_DEFAULT_AGING;
	rc = parse_root(root, origin, c);
	json_decref(root);
	if (rc) {
		swconf_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

int swconf_load(const char *path, struct swconf **out)
{
	char *text;
	size_t len;
	int rc;

	*out = NULL;
	rc = fs_read_file(path, SWCONF_MAX_BYTES, &text, &len);
	if (rc)
		return err_set(rc, "%s", path);
	rc = swconf_parse(text, len, path, out);
	free(text);
	return rc;
}

void swconf_free(struct swconf *c)
{
	if (!c)
		return;
	free(c->ports);
	free(c);
}

const struct swconf_port *swconf_find(const struct swconf *c, const char *name)
{
	for (size_t i = 0; i < c->n_ports; i++)
		if (!strcmp(c->ports[i].name, name))
			return &c->ports[i];
	return NULL;
}
