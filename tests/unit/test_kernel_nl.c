// SPDX-License-Identifier: GPL-2.0-or-later
/* The netlink core: batches larger than one datagram and than the ACK
 * queue, errors in the middle of a batch (label and kernel text, the rest
 * still applied), GONE_OK/EXIST_OK, several sockets flushed together,
 * queries, and dumps that race with changes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>

#include "common/errmsg.h"
#include "kernel/addr.h"
#include "kernel/link.h"
#include "kernel/netns.h"
#include "kernel/nl.h"
#include "kernel/route.h"
#include "isolate.h"

static struct nl *nl;
static int ifindex;

static int setup(void **state)
{
	(void)state;
	if (nl_open(&nl))
		return -1;
	if (link_veth_add(nl, &(struct link_veth){ .name = "t0", .up = true, .peer = "t1",
						   .peer_nsfd = -1, .peer_up = true },
			  "t0") ||
	    nl_flush(nl) || link_index(nl, "t0", &ifindex))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	link_del(nl, "t0", 0, NL_F_GONE_OK, "t0");
	nl_flush(nl);
	nl_close(nl);
	return 0;
}

struct count_ctx {
	int ifindex;
	int n;
	uint8_t seen[8192 / 8];
	bool dup;
};

static int count_v4(const struct addr_info *a, void *arg)
{
	struct count_ctx *c = arg;

	if (a->ifindex != c->ifindex || a->family != AF_INET || a->addr[0] != 10 ||
	    a->addr[1] != 77)
		return 0;
	{
		unsigned k = ((unsigned)a->addr[2] << 8 | a->addr[3]) % 8192;

		if (c->seen[k / 8] & (1u << (k % 8)))
			c->dup = true;
		c->seen[k / 8] |= (uint8_t)(1u << (k % 8));
	}
	c->n++;
	return 0;
}

static void addr_n(int i, uint8_t a[4])
{
	a[0] = 10;
	a[1] = 77;
	a[2] = (uint8_t)(i >> 8);
	a[3] = (uint8_t)i;
}

static void test_big_batch(void **state)
{
	const int n = 5000; /* more ACKs than one receive queue holds */
	struct count_ctx c = { .ifindex = ifindex };
	uint8_t a[4];
	char label[64];

	(void)state;
	for (int i = 0; i < n; i++) {
		addr_n(i, a);
		snprintf(label, sizeof(label), "adding address %d", i);
		assert_int_equal(addr_add(nl, ifindex, AF_INET, a, 32, 0, label), 0);
	}
	assert_int_equal(nl_pending(nl), (size_t)n);
	assert_int_equal(nl_flush(nl), 0);
	assert_int_equal(nl_pending(nl), 0);
	assert_int_equal(addr_dump(nl, AF_INET, count_v4, &c), 0);
	assert_int_equal(c.n, n);
	assert_false(c.dup);

	for (int i = 0; i < n; i++) {
		addr_n(i, a);
		assert_int_equal(addr_del(nl, ifindex, AF_INET, a, 32, 0, "deleting"), 0);
	}
	assert_int_equal(nl_flush(nl), 0);
	memset(&c, 0, sizeof(c));
	c.ifindex = ifindex;
	assert_int_equal(addr_dump(nl, AF_INET, count_v4, &c), 0);
	assert_int_equal(c.n, 0);
}

static void test_error_in_the_middle(void **state)
{
	struct count_ctx c = { .ifindex = ifindex };
	size_t before = nl_failures(nl);
	uint8_t a[4];
	const char *text;
	int rc;

	(void)state;
	addr_n(1, a);
	assert_int_equal(addr_add(nl, ifindex, AF_INET, a, 32, 0, "first"), 0);
	addr_n(2, a);
	assert_int_equal(addr_add(nl, 9999, AF_INET, a, 24, 0, "red: eth9: adding 10.77.0.2/24"), 0);
	addr_n(3, a);
	assert_int_equal(addr_add(nl, ifindex, AF_INET, a, 32, 0, "third"), 0);
	rc = nl_flush(nl);
	assert_int_equal(rc, -ENODEV);
	text = err_text(rc);
	assert_non_null(strstr(text, "red: eth9: adding 10.77.0.2/24: No such device"));
	/* The kernel explains itself (extended ACK). */
	assert_non_null(strstr(text, "(kernel: "));
	assert_int_equal(nl_failures(nl), before + 1);
	/* The requests around it ran. */
	assert_int_equal(addr_dump(nl, AF_INET, count_v4, &c), 0);
	assert_int_equal(c.n, 2);

	/* Two failures: the first one is reported, both are counted. */
	addr_n(1, a);
	assert_int_equal(addr_add(nl, ifindex, AF_INET, a, 32, 0, "dup one"), 0);
	assert_int_equal(addr_add(nl, ifindex, AF_INET, a, 32, 0, "dup two"), 0);
	rc = nl_flush(nl);
	assert_int_equal(rc, -EEXIST);
	assert_non_null(strstr(err_text(rc), "dup one: File exists"));
	assert_int_equal(nl_failures(nl), before + 3);

	/* A clean flush reports nothing of the past. */
	assert_int_equal(nl_flush(nl), 0);
	addr_n(1, a);
	assert_int_equal(addr_del(nl, ifindex, AF_INET, a, 32, 0, "d1"), 0);
	addr_n(3, a);
	assert_int_equal(addr_del(nl, ifindex, AF_INET, a, 32, 0, "d3"), 0);
	assert_int_equal(nl_flush(nl), 0);
}

static void test_tolerance_flags(void **state)
{
	struct route_spec r = { .family = AF_INET, .dst = { 10, 99, 0, 0 }, .plen = 16,
				.ifindex = ifindex };
	uint8_t a[4];
	int rc;

	(void)state;
	addr_n(9, a);
	/* Deleting what is not there. */
	assert_int_equal(addr_del(nl, ifindex, AF_INET, a, 32, NL_F_GONE_OK, "addr gone"), 0);
	assert_int_equal(route_del(nl, &r, NL_F_GONE_OK, "route gone"), 0);
	assert_int_equal(link_del(nl, "absent9", 0, NL_F_GONE_OK, "link gone"), 0);
	assert_int_equal(addr_del(nl, 9999, AF_INET, a, 32, NL_F_GONE_OK, "no device"), 0);
	assert_int_equal(nl_flush(nl), 0);
	/* Without the flag they fail. */
	assert_int_equal(route_del(nl, &r, 0, "route del"), 0);
	rc = nl_flush(nl);
	assert_true(rc == -ESRCH || rc == -ENOENT);
	assert_non_null(strstr(err_text(rc), "route del: "));

	/* Adding what is there. */
	assert_int_equal(addr_add(nl, ifindex, AF_INET, a, 32, 0, "add"), 0);
	assert_int_equal(addr_add(nl, ifindex, AF_INET, a, 32, NL_F_EXIST_OK, "add again"), 0);
	assert_int_equal(nl_flush(nl), 0);
	/* EXIST_OK does not hide other errors. */
	assert_int_equal(addr_add(nl, 9999, AF_INET, a, 32, NL_F_EXIST_OK, "elsewhere"), 0);
	assert_int_equal(nl_flush(nl), -ENODEV);
	assert_int_equal(addr_del(nl, ifindex, AF_INET, a, 32, 0, "cleanup"), 0);
	assert_int_equal(nl_flush(nl), 0);
}

static void test_flush_many(void **state)
{
	struct nl *nls[3] = { NULL, NULL, NULL };
	int fds[3], idx[3], rc;
	char name[16];

	(void)state;
	for (int i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "fm%d", i);
		assert_int_equal(netns_create(name, &fds[i], &nls[i]), 0);
		assert_int_equal(link_veth_add(nls[i],
					       &(struct link_veth){ .name = "eth0", .ifindex = 5,
								    .up = true, .peer = "eth1",
								    .peer_nsfd = -1, .peer_ifindex = 6,
								    .peer_up = true },
					       name),
				 0);
	}
	assert_int_equal(nl_flush_many(nls, 3), 0);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(link_index(nls[i], "eth0", &idx[i]), 0);
		assert_int_equal(idx[i], 5);
	}
	/* A failure on the second socket only: reported with its label, the
	 * others' requests applied. */
	{
		uint8_t a[4] = { 10, 1, 0, 1 };

		assert_int_equal(addr_add(nls[0], 5, AF_INET, a, 24, 0, "fm0: addr"), 0);
		assert_int_equal(addr_add(nls[1], 77, AF_INET, a, 24, 0, "fm1: eth77: addr"), 0);
		assert_int_equal(addr_add(nls[2], 5, AF_INET, a, 24, 0, "fm2: addr"), 0);
		rc = nl_flush_many(nls, 3);
		assert_int_equal(rc, -ENODEV);
		assert_non_null(strstr(err_text(rc), "fm1: eth77: addr"));
		assert_int_equal(nl_pending(nls[0]) + nl_pending(nls[1]) + nl_pending(nls[2]), 0);
		assert_int_equal(addr_add(nls[0], 5, AF_INET, a, 24, 0, "fm0: again"), 0);
		assert_int_equal(addr_add(nls[2], 5, AF_INET, a, 24, 0, "fm2: again"), 0);
		rc = nl_flush_many(nls, 3);
		assert_int_equal(rc, -EEXIST); /* so the first round had added them */
		assert_non_null(strstr(err_text(rc), "fm0: again"));
	}
	for (int i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "fm%d", i);
		nl_close(nls[i]);
		close(fds[i]);
		assert_int_equal(netns_delete(name), 0);
	}
	nl_close(NULL);
}

static int got_link(const struct nlmsghdr *nlh, void *arg)
{
	struct link_info li;

	if (link_msg_parse(nlh, &li) == 0)
		*(int *)arg = li.ifindex;
	return MNL_CB_OK;
}

static void test_query(void **state)
{
	uint8_t a[4] = { 10, 77, 200, 1 };
	struct nlmsghdr *req;
	int got = 0, rc;
	char buf[256];

	(void)state;
	/* Something queued goes out before the query. */
	assert_int_equal(addr_add(nl, ifindex, AF_INET, a, 32, 0, "queued"), 0);
	/* A query built with nl_req_begin is taken off the queue. */
	req = nl_req_begin(nl, RTM_GETLINK, 0, sizeof(struct ifinfomsg), 0, "getting t0");
	assert_non_null(req);
	mnl_attr_put_strz(req, IFLA_IFNAME, "t0");
	assert_int_equal(nl_query(nl, req, got_link, &got), 0);
	assert_int_equal(got, ifindex);
	assert_int_equal(nl_pending(nl), 0);
	/* ...and the queued address was added. */
	assert_int_equal(addr_add(nl, ifindex, AF_INET, a, 32, 0, "again"), 0);
	assert_int_equal(nl_flush(nl), -EEXIST);

	/* A caller's buffer, and an error answer with its label. */
	req = mnl_nlmsg_put_header(buf);
	req->nlmsg_type = RTM_GETLINK;
	mnl_nlmsg_put_extra_header(req, sizeof(struct ifinfomsg));
	mnl_attr_put_strz(req, IFLA_IFNAME, "nosuch7");
	rc = nl_query_label(nl, req, "red: looking up nosuch7", got_link, &got);
	assert_int_equal(rc, -ENODEV);
	assert_non_null(strstr(err_text(rc), "red: looking up nosuch7: No such device"));
	/* The socket is still in step. */
	assert_int_equal(addr_del(nl, ifindex, AF_INET, a, 32, 0, "cleanup"), 0);
	assert_int_equal(nl_flush(nl), 0);
}

static atomic_bool churn_stop;

static void *churn(void *arg)
{
	struct nl *c;
	uint8_t a[4] = { 10, 78, 0, 1 };
	int idx = *(int *)arg;

	if (nl_open(&c))
		return NULL;
	while (!atomic_load(&churn_stop)) {
		addr_add(c, idx, AF_INET, a, 32, NL_F_EXIST_OK, "churn add");
		addr_del(c, idx, AF_INET, a, 32, NL_F_GONE_OK, "churn del");
		nl_flush(c);
	}
	nl_close(c);
	return NULL;
}

static void test_dump_during_changes(void **state)
{
	const int n = 1500; /* several dump datagrams */
	pthread_t th;
	uint8_t a[4];
	int ok = 0;

	(void)state;
	for (int i = 0; i < n; i++) {
		addr_n(i, a);
		assert_int_equal(addr_add(nl, ifindex, AF_INET, a, 32, 0, "stable"), 0);
	}
	assert_int_equal(nl_flush(nl), 0);
	atomic_store(&churn_stop, false);
	assert_int_equal(pthread_create(&th, NULL, churn, &ifindex), 0);
	for (int k = 0; k < 30; k++) {
		struct count_ctx c = { .ifindex = ifindex };
		int rc = addr_dump(nl, AF_INET, count_v4, &c);

		/* A dump that kept being interrupted says so; one that
		 * returns is whole: every stable address once. */
		if (rc == -EAGAIN)
			continue;
		assert_int_equal(rc, 0);
		assert_int_equal(c.n, n);
		assert_false(c.dup);
		ok++;
	}
	atomic_store(&churn_stop, true);
	pthread_join(th, NULL);
	assert_true(ok > 0);
	for (int i = 0; i < n; i++) {
		addr_n(i, a);
		assert_int_equal(addr_del(nl, ifindex, AF_INET, a, 32, 0, "cleanup"), 0);
	}
	assert_int_equal(nl_flush(nl), 0);
}

static void test_ack_parse(void **state)
{
	char buf[256];
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
	struct nlmsgerr *e;
	const char *ext;
	int error;

	(void)state;
	h->nlmsg_type = NLMSG_ERROR;
	h->nlmsg_flags = NLM_F_CAPPED | NLM_F_ACK_TLVS;
	e = mnl_nlmsg_put_extra_header(h, sizeof(*e));
	e->error = -EINVAL;
	e->msg.nlmsg_len = 64;
	mnl_attr_put_strz(h, NLMSGERR_ATTR_MSG, "bad thing");
	assert_int_equal(nl_ack_parse(h, &error, &ext), 0);
	assert_int_equal(error, -EINVAL);
	assert_string_equal(ext, "bad thing");
	/* Not an errno: refused. */
	e->error = 5;
	assert_int_equal(nl_ack_parse(h, &error, &ext), -EPROTO);
	/* Too short for struct nlmsgerr. */
	h->nlmsg_len = NLMSG_HDRLEN + 4;
	assert_int_equal(nl_ack_parse(h, &error, &ext), -EPROTO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_big_batch),
		cmocka_unit_test(test_error_in_the_middle),
		cmocka_unit_test(test_tolerance_flags),
		cmocka_unit_test(test_flush_many),
		cmocka_unit_test(test_query),
		cmocka_unit_test(test_dump_during_changes),
		cmocka_unit_test(test_ack_parse),
	};

	if (test_isolate()) {
		fprintf(stderr, "test_isolate failed (needs root)\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, setup, teardown);
}
