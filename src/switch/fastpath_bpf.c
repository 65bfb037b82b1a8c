// SPDX-License-Identifier: GPL-2.0-or-later
#include "switch/fastpath_bpf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>

#include "common/errmsg.h"
#include "common/util.h"

#define PROG_MAX 288

/* A program being written; jumps to MISS are patched when it ends. */
struct asm_buf {
	struct bpf_insn in[PROG_MAX];
	unsigned n;
	unsigned miss_jumps[16];
	unsigned n_miss;
	unsigned callback; /* where a subprogram starts, 0: none */
	unsigned cb_refs[2]; /* the instructions that must point at it */
	unsigned n_cb_refs;
};

static void emit(struct asm_buf *a, uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	if (a->n < PROG_MAX)
		a->in[a->n] = (struct bpf_insn){ .code = code, .dst_reg = dst, .src_reg = src,
						 .off = off, .imm = imm };
	a->n++;
}

/* A conditional jump (op against imm) to the miss label. */
static void jmp_miss_class(struct asm_buf *a, uint8_t class, uint8_t op, uint8_t reg, int32_t imm)
{
	if (a->n_miss < ARRAY_SIZE(a->miss_jumps))
		a->miss_jumps[a->n_miss++] = a->n;
	emit(a, class | op | BPF_K, reg, 0, 0, imm);
}

static void jmp_miss(struct asm_buf *a, uint8_t op, uint8_t reg, int32_t imm)
{
	jmp_miss_class(a, BPF_JMP, op, reg, imm);
}

/* The miss label is here: patch the jumps to it, start a new one. */
static void bind_miss(struct asm_buf *a)
{
	for (unsigned i = 0; i < a->n_miss; i++)
		a->in[a->miss_jumps[i]].off = (int16_t)(a->n - a->miss_jumps[i] - 1);
	a->n_miss = 0;
}

static void emit_map_fd(struct asm_buf *a, uint8_t reg, int map_fd)
{
	emit(a, BPF_LD | BPF_DW | BPF_IMM, reg, BPF_PSEUDO_MAP_FD, 0, map_fd);
	emit(a, 0, 0, 0, 0, 0);
}

/* A forward jump (op against imm) to a label bound later by land(). */
static unsigned jmp_fwd(struct asm_buf *a, uint8_t op, uint8_t reg, int32_t imm)
{
	emit(a, BPF_JMP | op | BPF_K, reg, 0, 0, imm);
	return a->n - 1;
}

static void land(struct asm_buf *a, unsigned jump)
{
	if (jump < PROG_MAX)
		a->in[jump].off = (int16_t)(a->n - jump - 1);
}

/* The flow key on the stack, at r10 + KEY + offsetof(struct fp_key, …). */
#define KEY (-24)
#define KEY_AT(field) (int16_t)(KEY + (int)offsetof(struct fp_key, field))

/*
 * The frame's tag, as the flow keys hold it, stored (16 bits) at r10 + off:
 * FP_TAG(vid) for an out-of-band 802.1Q tag, 0 for none; a jump to miss for
 * an outer tag of another kind, or a tag still in the frame's bytes (the
 * kernel normally takes the outer one out of band before either hook).
 */
static void emit_tag_key(struct asm_buf *a, int16_t off)
{
	unsigned untagged;

	emit(a, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_2, 0, 0, 0);
	emit(a, BPF_LDX | BPF_W | BPF_MEM, BPF_REG_0, BPF_REG_6,
	     offsetof(struct __sk_buff, vlan_present), 0);
	untagged = jmp_fwd(a, BPF_JEQ, BPF_REG_0, 0);
	emit(a, BPF_LDX | BPF_W | BPF_MEM, BPF_REG_0, BPF_REG_6,
	     offsetof(struct __sk_buff, vlan_proto), 0);
	jmp_miss(a, BPF_JNE, BPF_REG_0, htons(ETH_P_8021Q));
	emit(a, BPF_LDX | BPF_W | BPF_MEM, BPF_REG_2, BPF_REG_6,
	     offsetof(struct __sk_buff, vlan_tci), 0);
	emit(a, BPF_ALU64 | BPF_AND | BPF_K, BPF_REG_2, 0, 0, 0xfff);
	emit(a, BPF_ALU64 | BPF_OR | BPF_K, BPF_REG_2, 0, 0, FP_TAGGED);
	land(a, untagged);
	emit(a, BPF_STX | BPF_H | BPF_MEM, BPF_REG_10, BPF_REG_2, off, 0);
	emit(a, BPF_LD | BPF_H | BPF_ABS, 0, 0, 0, 12);
	jmp_miss(a, BPF_JEQ, BPF_REG_0, ETH_P_8021Q);
	jmp_miss(a, BPF_JEQ, BPF_REG_0, ETH_P_8021AD);
}

/* r0 = the value of key r10 + key in map fd, or a jump to miss. */
static void emit_map_lookup(struct asm_buf *a, int fd, int32_t key)
{
	emit_map_fd(a, BPF_REG_1, fd);
	emit(a, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_2, BPF_REG_10, 0, 0);
	emit(a, BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_2, 0, 0, key);
	emit(a, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem);
	jmp_miss(a, BPF_JEQ, BPF_REG_0, 0);
}

/* The ingress port's ifindex (r6: the context) at r10 + off. */
static void emit_ifindex_at(struct asm_buf *a, int16_t off)
{
	emit(a, BPF_LDX | BPF_W | BPF_MEM, BPF_REG_2, BPF_REG_6,
	     offsetof(struct __sk_buff, ifindex), 0);
	emit(a, BPF_STX | BPF_W | BPF_MEM, BPF_REG_10, BPF_REG_2, off, 0);
}

/* r0 = skb_load_bytes(skb, from, r10 + to, len), a jump to miss if it fails. */
static void emit_load_bytes(struct asm_buf *a, int32_t from, int16_t to, int32_t len)
{
	emit(a, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_6, 0, 0);
	emit(a, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_2, 0, 0, from);
	emit(a, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_3, BPF_REG_10, 0, 0);
	emit(a, BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_3, 0, 0, to);
	emit(a, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_4, 0, 0, len);
	emit(a, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_skb_load_bytes);
	jmp_miss(a, BPF_JNE, BPF_REG_0, 0);
}

/* The multicast flow key on the stack, apart from the flow key. */
#define MKEY (-64)
#define MKEY_AT(field) (int16_t)(MKEY + (int)offsetof(struct fp_mkey, field))

/*
 * r0 = the multicast flow's map value for IP multicast UDP data — the
 * destination MAC of the group's family (01:00:5e, 33:33), the IP protocol
 * UDP, so IGMP and MLD (and every other control message) always reach the
 * switch — or a jump to miss. r6: the context.
 */
static void emit_mcast_lookup(struct asm_buf *a, int mcast_fd)
{
	unsigned v4, key_done;

	emit_tag_key(a, MKEY_AT(tag));
	emit(a, BPF_LD | BPF_H | BPF_ABS, 0, 0, 0, 0);
	v4 = jmp_fwd(a, BPF_JNE, BPF_REG_0, 0x3333);
	emit(a, BPF_LD | BPF_H | BPF_ABS, 0, 0, 0, 12);
	jmp_miss(a, BPF_JNE, BPF_REG_0, ETH_P_IPV6);
	emit(a, BPF_LD | BPF_B | BPF_ABS, 0, 0, 0, ETH_HLEN + 6); /* next header */
	jmp_miss(a, BPF_JNE, BPF_REG_0, IPPROTO_UDP);
	emit_load_bytes(a, ETH_HLEN + 24, MKEY_AT(group), 16);
	key_done = jmp_fwd(a, BPF_JA, 0, 0);
	land(a, v4);
	emit(a, BPF_LD | BPF_W | BPF_ABS, 0, 0, 0, 0);
	emit(a, BPF_ALU64 | BPF_RSH | BPF_K, BPF_REG_0, 0, 0, 8);
	jmp_miss(a, BPF_JNE, BPF_REG_0, 0x01005e);
	emit(a, BPF_LD | BPF_H | BPF_ABS, 0, 0, 0, 12);
	jmp_miss(a, BPF_JNE, BPF_REG_0, ETH_P_IP);
	emit(a, BPF_LD | BPF_B | BPF_ABS, 0, 0, 0, ETH_HLEN + 9); /* protocol */
	jmp_miss(a, BPF_JNE, BPF_REG_0, IPPROTO_UDP);
	/* ::ffff:a.b.c.d */
	emit(a, BPF_ST | BPF_W | BPF_MEM, BPF_REG_10, 0, MKEY_AT(group), 0);
	emit(a, BPF_ST | BPF_W | BPF_MEM, BPF_REG_10, 0, (int16_t)(MKEY_AT(group) + 4), 0);
	emit(a, BPF_ST | BPF_H | BPF_MEM, BPF_REG_10, 0, (int16_t)(MKEY_AT(group) + 8), 0);
	emit(a, BPF_ST | BPF_H | BPF_MEM, BPF_REG_10, 0, (int16_t)(MKEY_AT(group) + 10), 0xffff);
	emit_load_bytes(a, ETH_HLEN + 16, (int16_t)(MKEY_AT(group) + 12), 4);
	land(a, key_done);
	emit_ifindex_at(a, MKEY_AT(ifindex));
	emit_load_bytes(a, 6, MKEY_AT(src), 6);
	emit_map_lookup(a, mcast_fd, MKEY);
}

/* bpf_loop(list->n, or one less, the flood callback, {skb, list}) for the
 * list at r0 (r6: the context); the callback's address is patched in
 * later. */
static void emit_flood_loop(struct asm_buf *a, bool all_but_last)
{
	emit(a, BPF_STX | BPF_DW | BPF_MEM, BPF_REG_10, BPF_REG_6, -16, 0);
	emit(a, BPF_STX | BPF_DW | BPF_MEM, BPF_REG_10, BPF_REG_0, -8, 0);
	emit(a, BPF_LDX | BPF_W | BPF_MEM, BPF_REG_1, BPF_REG_0, offsetof(struct fp_flood, n), 0);
	if (all_but_last)
		emit(a, BPF_ALU | BPF_SUB | BPF_K, BPF_REG_1, 0, 0, 1);
	if (a->n_cb_refs < ARRAY_SIZE(a->cb_refs))
		a->cb_refs[a->n_cb_refs++] = a->n;
	emit(a, BPF_LD | BPF_DW | BPF_IMM, BPF_REG_2, BPF_PSEUDO_FUNC, 0, 0);
	emit(a, 0, 0, 0, 0, 0);
	emit(a, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_3, BPF_REG_10, 0, 0);
	emit(a, BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_3, 0, 0, -16);
	emit(a, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_4, 0, 0, 0);
	emit(a, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_loop);
}

/*
 * The part both programs share: r0 = the flow's map value, or a jump to
 * miss when the frame is too short, has a tag in its bytes or an outer tag
 * other than 802.1Q, or is of no offloaded flow. r6 keeps the context
 * (LD_ABS needs it there, and clobbers r1-r5).
 */
static void emit_lookup(struct asm_buf *a, int map_fd)
{
	emit(a, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_6, BPF_REG_1, 0, 0);
	emit_tag_key(a, KEY_AT(tag));
	emit(a, BPF_ST | BPF_H | BPF_MEM, BPF_REG_10, 0, KEY_AT(pad), 0);
	emit_ifindex_at(a, KEY_AT(ifindex));
	/* dst and src, the frame's first 12 bytes */
	emit_load_bytes(a, 0, KEY_AT(dst), 12);
	emit_map_lookup(a, map_fd, KEY);
}

/* The flood list's key on the stack, where the flow key was. */
#define FKEY (-24)
#define FKEY_AT(field) (int16_t)(FKEY + (int)offsetof(struct fp_fkey, field))

/*
 * A broadcast from a port with a flood list for its tag (or for none): a
 * clone out of every port of the list (bpf_clone_redirect), as the bridge
 * floods, and the frame itself on to the stack, where the switch's copy
 * was taken.
 * The list is walked by bpf_loop, whose callback the verifier checks once,
 * where an open loop would be checked for each of its FP_FLOOD_MAX rounds
 * (10 ms at every daemon start).
 */
static void emit_flood(struct asm_buf *a, int flood_fd)
{
	emit_tag_key(a, FKEY_AT(tag));
	emit(a, BPF_ST | BPF_H | BPF_MEM, BPF_REG_10, 0, FKEY_AT(pad), 0);
	emit(a, BPF_LD | BPF_W | BPF_ABS, 0, 0, 0, 0);
	jmp_miss_class(a, BPF_JMP32, BPF_JNE, BPF_REG_0, -1); /* ff:ff:ff:ff */
	emit(a, BPF_LD | BPF_H | BPF_ABS, 0, 0, 0, 4);
	jmp_miss(a, BPF_JNE, BPF_REG_0, 0xffff);
	/* a group or all-zero source is no station: the switch drops it */
	emit(a, BPF_LD | BPF_B | BPF_ABS, 0, 0, 0, 6);
	emit(a, BPF_ALU64 | BPF_AND | BPF_K, BPF_REG_0, 0, 0, 1);
	jmp_miss(a, BPF_JNE, BPF_REG_0, 0);
	emit(a, BPF_LD | BPF_W | BPF_ABS, 0, 0, 0, 6);
	emit(a, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_7, BPF_REG_0, 0, 0);
	emit(a, BPF_LD | BPF_H | BPF_ABS, 0, 0, 0, 10);
	emit(a, BPF_ALU64 | BPF_OR | BPF_X, BPF_REG_0, BPF_REG_7, 0, 0);
	jmp_miss(a, BPF_JEQ, BPF_REG_0, 0);
	emit_ifindex_at(a, FKEY_AT(ifindex));
	emit_map_lookup(a, flood_fd, FKEY);
	emit_flood_loop(a, false);
	bind_miss(a);
}

/*
 * The tag as the list's port r8 (ifindex | FP_FLOOD_TAGGED) wants it on the
 * frame r6: off for an untagged port, the list's VLAN (r7: the list) on for
 * a tagged one, if not there already. fail[] are jumps taken when the
 * kernel could not change it (no memory); the caller lands them.
 */
static void emit_port_tag(struct asm_buf *a, unsigned fail[2])
{
	unsigned tagged_out, send[3];

	emit(a, BPF_LDX | BPF_W | BPF_MEM, BPF_REG_1, BPF_REG_6,
	     offsetof(struct __sk_buff, vlan_present), 0);
	tagged_out = jmp_fwd(a, BPF_JSET, BPF_REG_8, (int32_t)FP_FLOOD_TAGGED);
	send[0] = jmp_fwd(a, BPF_JEQ, BPF_REG_1, 0);
	emit(a, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_6, 0, 0);
	emit(a, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_skb_vlan_pop);
	fail[0] = jmp_fwd(a, BPF_JNE, BPF_REG_0, 0);
	send[1] = jmp_fwd(a, BPF_JA, 0, 0);
	land(a, tagged_out);
	send[2] = jmp_fwd(a, BPF_JNE, BPF_REG_1, 0);
	emit(a, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_6, 0, 0);
	emit(a, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_2, 0, 0, htons(ETH_P_8021Q));
	emit(a, BPF_LDX | BPF_H | BPF_MEM, BPF_REG_3, BPF_REG_7, offsetof(struct fp_flood, vid), 0);
	emit(a, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_skb_vlan_push);
	fail[1] = jmp_fwd(a, BPF_JNE, BPF_REG_0, 0);
	for (unsigned i = 0; i < ARRAY_SIZE(send); i++)
		land(a, send[i]);
}

/* bpf_loop's callback (r1: the index, r2: the context): one clone out of
 * list->port[r1], with the VLAN's tag on or off as that port wants it;
 * 0 goes on, 1 stops. The tagged ports come first, so an untagged frame is
 * tagged once and untagged once. Patches the references to it. */
static void emit_flood_callback(struct asm_buf *a)
{
	unsigned fail[2];

	for (unsigned i = 0; i < a->n_cb_refs; i++)
		if (a->cb_refs[i] < PROG_MAX)
			a->in[a->cb_refs[i]].imm = (int32_t)(a->n - a->cb_refs[i] - 1);
	a->callback = a->n;
	emit(a, BPF_LDX | BPF_DW | BPF_MEM, BPF_REG_6, BPF_REG_2, 0, 0);
	emit(a, BPF_LDX | BPF_DW | BPF_MEM, BPF_REG_7, BPF_REG_2, 8, 0);
	emit(a, BPF_JMP | BPF_JLT | BPF_K, BPF_REG_1, 0, 2, FP_FLOOD_MAX);
	emit(a, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 1);
	emit(a, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	emit(a, BPF_ALU64 | BPF_LSH | BPF_K, BPF_REG_1, 0, 0, 2);
	emit(a, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_3, BPF_REG_7, 0, 0);
	emit(a, BPF_ALU64 | BPF_ADD | BPF_X, BPF_REG_3, BPF_REG_1, 0, 0);
	emit(a, BPF_LDX | BPF_W | BPF_MEM, BPF_REG_8, BPF_REG_3, offsetof(struct fp_flood, port), 0);
	emit_port_tag(a, fail);
	emit(a, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_2, BPF_REG_8, 0, 0);
	emit(a, BPF_ALU64 | BPF_AND | BPF_K, BPF_REG_2, 0, 0, (int32_t)~FP_FLOOD_TAGGED);
	emit(a, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_6, 0, 0);
	emit(a, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_3, 0, 0, 0);
	emit(a, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_clone_redirect);
	emit(a, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0);
	emit(a, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	/* the tag could not be changed (no memory): no more copies */
	land(a, fail[0]);
	land(a, fail[1]);
	emit(a, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 1);
	emit(a, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

static void emit_tc(struct asm_buf *a, const struct fp_bpf *b)
{
	unsigned no_pop, no_push, shot[2], mshot[3];

	emit_lookup(a, b->map_fd);
	/* count (r7: the flow's value, past the helpers' calls) */
	emit(a, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_7, BPF_REG_0, 0, 0);
	emit(a, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_1, 0, 0, 1);
	emit(a, BPF_STX | BPF_DW | BPF_ATOMIC, BPF_REG_7, BPF_REG_1,
	     offsetof(struct fp_value, packets), BPF_ADD);
	emit(a, BPF_LDX | BPF_W | BPF_MEM, BPF_REG_1, BPF_REG_6, offsetof(struct __sk_buff, len), 0);
	emit(a, BPF_STX | BPF_DW | BPF_ATOMIC, BPF_REG_7, BPF_REG_1,
	     offsetof(struct fp_value, bytes), BPF_ADD);
	/* the egress port's VLAN rule, on the out-of-band tag */
	emit(a, BPF_LDX | BPF_B | BPF_MEM, BPF_REG_1, BPF_REG_7, offsetof(struct fp_value, pop), 0);
	no_pop = jmp_fwd(a, BPF_JEQ, BPF_REG_1, 0);
	emit(a, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_6, 0, 0);
	emit(a, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_skb_vlan_pop);
	shot[0] = jmp_fwd(a, BPF_JNE, BPF_REG_0, 0);
	land(a, no_pop);
	emit(a, BPF_LDX | BPF_H | BPF_MEM, BPF_REG_3, BPF_REG_7, offsetof(struct fp_value, push), 0);
	no_push = jmp_fwd(a, BPF_JEQ, BPF_REG_3, 0);
	emit(a, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_6, 0, 0);
	emit(a, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_2, 0, 0, htons(ETH_P_8021Q));
	emit(a, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_skb_vlan_push);
	shot[1] = jmp_fwd(a, BPF_JNE, BPF_REG_0, 0);
	land(a, no_push);
	/* and out of the egress port */
	emit(a, BPF_LDX | BPF_W | BPF_MEM, BPF_REG_1, BPF_REG_7,
	     offsetof(struct fp_value, out_ifindex), 0);
	emit(a, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_2, 0, 0, 0);
	emit(a, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_redirect);
	emit(a, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	/* the tag could not be changed (no memory): lost, as a full queue
	 * would lose it */
	land(a, shot[0]);
	land(a, shot[1]);
	emit(a, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, TC_ACT_SHOT);
	emit(a, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	bind_miss(a);
	/* multicast data of a multicast flow: counted, a copy out of each
	 * of its ports, and no more (the switch's filter kept none either) */
	emit_mcast_lookup(a, b->mcast_fd);
	emit(a, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_7, BPF_REG_0, 0, 0);
	emit(a, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_1, 0, 0, 1);
	emit(a, BPF_STX | BPF_DW | BPF_ATOMIC, BPF_REG_7, BPF_REG_1,
	     offsetof(struct fp_mflow, packets), BPF_ADD);
	emit(a, BPF_LDX | BPF_W | BPF_MEM, BPF_REG_1, BPF_REG_6, offsetof(struct __sk_buff, len), 0);
	emit(a, BPF_STX | BPF_DW | BPF_ATOMIC, BPF_REG_7, BPF_REG_1,
	     offsetof(struct fp_mflow, bytes), BPF_ADD);
	/* clones out of all the ports but the last, which gets the frame
	 * itself (bpf_redirect), as the bridge's flood ends: a stream to one
	 * listener is never cloned */
	emit(a, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_0, BPF_REG_7, 0, 0);
	emit_flood_loop(a, true);
	emit(a, BPF_LDX | BPF_W | BPF_MEM, BPF_REG_1, BPF_REG_7, offsetof(struct fp_flood, n), 0);
	emit(a, BPF_ALU64 | BPF_SUB | BPF_K, BPF_REG_1, 0, 0, 1);
	mshot[0] = jmp_fwd(a, BPF_JGE, BPF_REG_1, FP_FLOOD_MAX);
	emit(a, BPF_ALU64 | BPF_LSH | BPF_K, BPF_REG_1, 0, 0, 2);
	emit(a, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_3, BPF_REG_7, 0, 0);
	emit(a, BPF_ALU64 | BPF_ADD | BPF_X, BPF_REG_3, BPF_REG_1, 0, 0);
	emit(a, BPF_LDX | BPF_W | BPF_MEM, BPF_REG_8, BPF_REG_3, offsetof(struct fp_flood, port), 0);
	emit_port_tag(a, &mshot[1]);
	emit(a, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_8, 0, 0);
	emit(a, BPF_ALU64 | BPF_AND | BPF_K, BPF_REG_1, 0, 0, (int32_t)~FP_FLOOD_TAGGED);
	emit(a, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_2, 0, 0, 0);
	emit(a, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_redirect);
	emit(a, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	for (unsigned i = 0; i < ARRAY_SIZE(mshot); i++)
		land(a, mshot[i]);
	emit(a, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, TC_ACT_SHOT);
	emit(a, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	bind_miss(a);
	emit_flood(a, b->flood_fd);
	/* not ours, or flooded: on to the host's stack, which ignores it (see
	 * link_change.set_ipv4_off) while the switch takes its copy */
	emit(a, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, TC_ACT_OK);
	emit(a, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	emit_flood_callback(a);
}

static void emit_sock(struct asm_buf *a, const struct fp_bpf *b)
{
	emit_lookup(a, b->map_fd);
	/* the kernel forwards it: keep nothing */
	emit(a, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0);
	emit(a, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	bind_miss(a);
	emit_mcast_lookup(a, b->mcast_fd);
	emit(a, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0);
	emit(a, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	bind_miss(a);
	/* keep the whole frame */
	emit(a, BPF_ALU | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, -1);
	emit(a, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

/*
 * The least BTF a program with a subprogram must come with (the verifier
 * wants a function record for each): an int, a prototype returning it, and
 * the two functions, static, so that neither is checked against its
 * prototype's arguments. Returns its fd, or -errno.
 */
static int load_btf(void)
{
	static const char strs[] = "\0int\0nslab_tc\0nslab_flood_one";
	enum { T_INT = 1, T_PROTO, T_MAIN, T_CALLBACK };
	struct {
		struct btf_header h;
		uint32_t t[4 + 3 + 3 + 3];
		char s[sizeof(strs)];
	} __attribute__((packed)) b = {
		.h = { .magic = BTF_MAGIC, .version = 1, .hdr_len = sizeof(struct btf_header),
		       .type_off = 0, .type_len = sizeof(b.t), .str_off = sizeof(b.t),
		       .str_len = sizeof(strs) },
		.t = {
			/* [1] int: 4 bytes, signed, 32 bits */
			1, (uint32_t)BTF_KIND_INT << 24, 4, (BTF_INT_SIGNED << 24) | 32,
			/* [2] int (void) */
			0, (uint32_t)BTF_KIND_FUNC_PROTO << 24, T_INT,
			/* [3] nslab_tc, [4] nslab_flood_one: static */
			5, (uint32_t)BTF_KIND_FUNC << 24, T_PROTO,
			14, (uint32_t)BTF_KIND_FUNC << 24, T_PROTO,
		},
	};
	union bpf_attr attr;
	int fd;

	memcpy(b.s, strs, sizeof(strs));
	memset(&attr, 0, sizeof(attr));
	attr.btf = (uint64_t)(uintptr_t)&b;
	attr.btf_size = sizeof(b);
	fd = (int)sys_bpf(BPF_BTF_LOAD, &attr);
	return fd < 0 ? -errno : fd;
}

static int load(enum bpf_prog_type type, const struct asm_buf *a, const char *what)
{
	static char log[8192];
	struct bpf_func_info funcs[2] = { { 0, 3 }, { a->callback, 4 } };
	union bpf_attr attr;
	int fd, btf = -1;

	if (a->n > PROG_MAX)
		return err_set(-E2BIG, "%s: program too long", what);
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = type;
	attr.insns = (uint64_t)(uintptr_t)a->in;
	attr.insn_cnt = a->n;
	attr.license = (uint64_t)(uintptr_t)"GPL";
	if (a->callback) {
		btf = load_btf();
		if (btf < 0)
			return err_set(btf, "%s: loading its BTF", what);
		attr.prog_btf_fd = (uint32_t)btf;
		attr.func_info_rec_size = sizeof(funcs[0]);
		attr.func_info = (uint64_t)(uintptr_t)funcs;
		attr.func_info_cnt = 2;
	}
	memcpy(attr.prog_name, "nslab_fastpath", sizeof("nslab_fastpath"));
	fd = (int)sys_bpf(BPF_PROG_LOAD, &attr);
	if (fd < 0) {
		/* Load again with the verifier's log, only to say why: its
		 * last line is the verdict (the kernel keeps a log's end when
		 * it does not fit, and then says ENOSPC: the first errno is
		 * the one that counts). */
		int rc = -errno;
		char *end;

		attr.log_buf = (uint64_t)(uintptr_t)log;
		attr.log_size = sizeof(log);
		attr.log_level = 1;
		log[0] = '\0';
		fd = (int)sys_bpf(BPF_PROG_LOAD, &attr);
		if (fd >= 0) {
			close(fd);
			fd = -1;
		}
		log[sizeof(log) - 1] = '\0';
		/* the last line but the statistics */
		for (;;) {
			end = log + strlen(log);
			while (end > log && end[-1] == '\n')
				*--end = '\0';
			end = strrchr(log, '\n');
			if (!end || (strncmp(end + 1, "processed ", 10) &&
				     strncmp(end + 1, "verification time", 17)))
				break;
			*end = '\0';
		}
		fd = err_set(rc, "loading the %s program%s%s", what, log[0] ? ": " : "",
			     end ? end + 1 : log);
	}
	/* the program holds its BTF */
	if (btf >= 0)
		close(btf);
	return fd;
}

/* A hash map named name (at most 15 characters); on failure -errno, with
 * what it is for in errmsg. */
static int map_create(const char *name, uint32_t key_size, uint32_t value_size, uint32_t max,
		      uint32_t flags, const char *what)
{
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_HASH;
	attr.key_size = key_size;
	attr.value_size = value_size;
	attr.max_entries = max;
	attr.map_flags = flags;
	snprintf(attr.map_name, sizeof(attr.map_name), "%s", name);
	fd = (int)sys_bpf(BPF_MAP_CREATE, &attr);
	return fd < 0 ? err_set(-errno, "creating %s", what) : fd;
}

/* A loaded program's id: what tells a port's filter as this daemon's own
 * (fastpath.c, fp_port_detach). 0 where the kernel does not say. */
static uint32_t prog_id(int fd)
{
	struct bpf_prog_info info;
	union bpf_attr attr;

	memset(&info, 0, sizeof(info));
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = (uint32_t)fd;
	attr.info.info_len = sizeof(info);
	attr.info.info = (uint64_t)(uintptr_t)&info;
	return sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr) ? 0 : info.id;
}

int fp_bpf_open(struct fp_bpf *b, uint32_t max)
{
	struct asm_buf a;
	int rc;

	b->map_fd = b->flood_fd = b->mcast_fd = b->tc_fd = b->sock_fd = -1;
	b->map_fd = map_create("nslab_flows", sizeof(struct fp_key), sizeof(struct fp_value), max, 0,
			       "the flow map");
	if (b->map_fd < 0)
		return b->map_fd;
	/* one list per port and tag that has one, one value per multicast
	 * flow: not preallocated, as each is 4 KiB and most switches have
	 * few ports and fewer streams */
	b->flood_fd = map_create("nslab_flood", sizeof(struct fp_fkey), sizeof(struct fp_flood),
				 FP_FLOOD_LISTS, BPF_F_NO_PREALLOC, "the flood map");
	if (b->flood_fd < 0) {
		rc = b->flood_fd;
		goto fail;
	}
	b->mcast_fd = map_create("nslab_mcast", sizeof(struct fp_mkey), sizeof(struct fp_mflow),
				 FP_MCAST_FLOWS, BPF_F_NO_PREALLOC, "the multicast flow map");
	if (b->mcast_fd < 0) {
		rc = b->mcast_fd;
		goto fail;
	}
	memset(&a, 0, sizeof(a));
	emit_tc(&a, b);
	rc = load(BPF_PROG_TYPE_SCHED_CLS, &a, "tc");
	if (rc < 0)
		goto fail;
	b->tc_fd = rc;
	b->tc_id = prog_id(rc);
	memset(&a, 0, sizeof(a));
	emit_sock(&a, b);
	rc = load(BPF_PROG_TYPE_SOCKET_FILTER, &a, "socket filter");
	if (rc < 0)
		goto fail;
	b->sock_fd = rc;
	return 0;
fail:
	fp_bpf_close(b);
	return rc;
}

void fp_bpf_close(struct fp_bpf *b)
{
	if (b->sock_fd >= 0)
		close(b->sock_fd);
	if (b->tc_fd >= 0)
		close(b->tc_fd);
	if (b->flood_fd >= 0)
		close(b->flood_fd);
	if (b->mcast_fd >= 0)
		close(b->mcast_fd);
	if (b->map_fd >= 0)
		close(b->map_fd);
	b->map_fd = b->flood_fd = b->mcast_fd = b->tc_fd = b->sock_fd = -1;
}

static int map_op(int fd, int cmd, const void *k, void *v, uint64_t flags)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (uint32_t)fd;
	attr.key = (uint64_t)(uintptr_t)k;
	attr.value = (uint64_t)(uintptr_t)v;
	attr.flags = flags;
	return sys_bpf(cmd, &attr) ? -errno : 0;
}

int fp_bpf_update(const struct fp_bpf *b, const struct fp_key *k, const struct fp_value *v)
{
	return map_op(b->map_fd, BPF_MAP_UPDATE_ELEM, k, (void *)v, BPF_ANY);
}

int fp_bpf_delete(const struct fp_bpf *b, const struct fp_key *k)
{
	return map_op(b->map_fd, BPF_MAP_DELETE_ELEM, k, NULL, 0);
}

int fp_bpf_lookup(const struct fp_bpf *b, const struct fp_key *k, struct fp_value *v)
{
	return map_op(b->map_fd, BPF_MAP_LOOKUP_ELEM, k, v, 0);
}

int fp_bpf_flood_set(const struct fp_bpf *b, const struct fp_fkey *k, const struct fp_flood *f)
{
	return map_op(b->flood_fd, BPF_MAP_UPDATE_ELEM, k, (void *)f, BPF_ANY);
}

int fp_bpf_flood_del(const struct fp_bpf *b, const struct fp_fkey *k)
{
	int rc = map_op(b->flood_fd, BPF_MAP_DELETE_ELEM, k, NULL, 0);

	return rc == -ENOENT ? 0 : rc;
}

int fp_bpf_mcast_set(const struct fp_bpf *b, const struct fp_mkey *k, const struct fp_mflow *v)
{
	return map_op(b->mcast_fd, BPF_MAP_UPDATE_ELEM, k, (void *)v, BPF_ANY);
}

int fp_bpf_mcast_del(const struct fp_bpf *b, const struct fp_mkey *k)
{
	int rc = map_op(b->mcast_fd, BPF_MAP_DELETE_ELEM, k, NULL, 0);

	return rc == -ENOENT ? 0 : rc;
}

int fp_bpf_mcast_get(const struct fp_bpf *b, const struct fp_mkey *k, struct fp_mflow *v)
{
	return map_op(b->mcast_fd, BPF_MAP_LOOKUP_ELEM, k, v, 0);
}
