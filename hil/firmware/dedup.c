/* Execute-once memory in EEPROM.
 *
 * Layout, from EEPROM address 0 (390 of the ATmega328P's 1,024 bytes; `avr-size` counts it):
 *
 *   0   'R' 'O'            magic
 *   2   DEDUP_LAYOUT       layout version: change it whenever this layout changes
 *   3   DEDUP_SIZE         number of slots that follow
 *   4   RO_COMMANDS_ID     the command table the slots' `command` indices refer to (2 bytes)
 *   6   slot[DEDUP_SIZE]   6 bytes each, a ring written in slot order:
 *         order    acceptance number mod 255 (0..254), consecutive from slot to slot up to
 *                  the newest; 0xFF: empty (erased, or being written)
 *         seq      the request's sequence count, big-endian (2 bytes)
 *         command  its index in ro_commands, or DEDUP_NO_COMMAND
 *         final    DEDUP_RUNNING (0) while executing, else the final report's subtype
 *         code     failure code of a final failure
 *
 * The ring's position is not stored (that one byte would be rewritten at every TC): at boot
 * the newest slot is the one whose successor is empty or does not hold the next number.
 *
 * An erased EEPROM (0xFF) or one holding anything else (another program's data, another
 * layout) fails the magic, version or size check, and the memory starts empty: every slot is
 * marked empty first and the header written last, so a reset while formatting leaves a header
 * that still fails the check and formatting starts over at the next boot. A firmware with
 * another command table (RO_COMMANDS_ID) keeps the memory, which stays true across a reflash,
 * but forgets which command each request was (DEDUP_NO_COMMAND) before it adopts the new id.
 *
 * A slot is written empty first, then filled, then given its number: a reset in between
 * leaves an empty slot (the TC was neither acknowledged nor executed), never a slot that
 * mixes two requests. A final report's code is written before its subtype for the same reason.
 *
 * Cost on the chip: an EEPROM byte write takes ~3.4 ms, the CPU waiting for it (interrupts
 * keep running, so the 512-byte UART ring holds 44 ms of the line at 115200 baud).
 * eeprom_update_* writes only bytes that change: accepting a TC writes 4 to 6 bytes (14 to
 * 20 ms), a final report 1 or 2 (3.4 or 6.8 ms), formatting up to 70 once (on an erased
 * chip 6: 20 ms). Endurance: 100,000 erase/write cycles per byte. The most written cells (a
 * slot's `order` and `final`) take two writes per lap of the ring, one lap per DEDUP_SIZE
 * accepted TCs: 100,000 x 64 / 2 = 3.2 million accepted TCs before the first cell reaches its
 * rated endurance. Reads cost no wear and ~4 cycles a byte, so lookups read the EEPROM
 * directly and no copy is kept in RAM. (simavr completes a write at once: these times show
 * only on the real chip.)
 */
#include "config.h"
#include "dedup.h"

#include "generated/dictionary.h"

#include <avr/eeprom.h>

#define DEDUP_LAYOUT 1u
#define ORDER_EMPTY 0xFFu
#define ORDER_MODULO 255u

#if DEDUP_SIZE < 2 || DEDUP_SIZE > 254
#error "DEDUP_SIZE must be 2..254 (the ring's numbering is mod 255)"
#endif
#if RO_COMMAND_COUNT >= DEDUP_NO_COMMAND
#error "command indices must stay below DEDUP_NO_COMMAND"
#endif

typedef struct {
    uint8_t order;
    uint8_t seq_hi;
    uint8_t seq_lo;
    uint8_t command;
    uint8_t final;
    uint8_t code;
} ee_slot_t;

typedef struct {
    uint8_t magic[2];
    uint8_t layout;
    uint8_t size;
    uint8_t commands_id[2];
    ee_slot_t slot[DEDUP_SIZE];
} ee_layout_t;

static ee_layout_t ee EEMEM;
static uint8_t next_slot;   /* the slot the next accepted TC takes (the oldest, once full) */
static uint8_t next_order;  /* its number */

static uint8_t order_after(uint8_t order) { return (uint8_t)((order + 1u) % ORDER_MODULO); }

static uint8_t read_order(uint8_t slot) { return eeprom_read_byte(&ee.slot[slot].order); }

static uint16_t read_seq(uint8_t slot) {
    return (uint16_t)((uint16_t)eeprom_read_byte(&ee.slot[slot].seq_hi) << 8 |
                      eeprom_read_byte(&ee.slot[slot].seq_lo));
}

static uint8_t read_slot(uint8_t slot, dedup_entry_t *e) {
    if (read_order(slot) == ORDER_EMPTY) {
        return 0;
    }
    e->seq = read_seq(slot);
    e->command = eeprom_read_byte(&ee.slot[slot].command);
    e->final = eeprom_read_byte(&ee.slot[slot].final);
    e->code = eeprom_read_byte(&ee.slot[slot].code);
    if (e->command >= RO_COMMAND_COUNT) {
        e->command = DEDUP_NO_COMMAND;
    }
    if (e->final != RO_VER_START_FAILURE && e->final != RO_VER_COMPLETION_SUCCESS &&
        e->final != RO_VER_COMPLETION_FAILURE) {
        e->final = DEDUP_RUNNING;  /* a write cut by a reset: it did not finish */
    }
    return 1;
}

static uint8_t header_ok(void) {
    return eeprom_read_byte(&ee.magic[0]) == 'R' && eeprom_read_byte(&ee.magic[1]) == 'O' &&
           eeprom_read_byte(&ee.layout) == DEDUP_LAYOUT &&
           eeprom_read_byte(&ee.size) == DEDUP_SIZE;
}

static uint8_t commands_id_ok(void) {
    return eeprom_read_byte(&ee.commands_id[0]) == (uint8_t)(RO_COMMANDS_ID >> 8) &&
           eeprom_read_byte(&ee.commands_id[1]) == (uint8_t)RO_COMMANDS_ID;
}

static void write_commands_id(void) {
    eeprom_update_byte(&ee.commands_id[0], (uint8_t)(RO_COMMANDS_ID >> 8));
    eeprom_update_byte(&ee.commands_id[1], (uint8_t)RO_COMMANDS_ID);
}

static void format(void) {
    for (uint8_t i = 0; i < DEDUP_SIZE; i++) {
        eeprom_update_byte(&ee.slot[i].order, ORDER_EMPTY);
    }
    write_commands_id();
    eeprom_update_byte(&ee.size, DEDUP_SIZE);
    eeprom_update_byte(&ee.layout, DEDUP_LAYOUT);
    eeprom_update_byte(&ee.magic[1], 'O');
    eeprom_update_byte(&ee.magic[0], 'R');
}

void dedup_init(void) {
    next_slot = 0;
    next_order = 0;
    if (!header_ok()) {
        format();
        return;
    }
    if (!commands_id_ok()) {
        for (uint8_t i = 0; i < DEDUP_SIZE; i++) {
            eeprom_update_byte(&ee.slot[i].command, DEDUP_NO_COMMAND);
        }
        write_commands_id();
    }
    for (uint8_t i = 0; i < DEDUP_SIZE; i++) {
        uint8_t order = read_order(i);
        if (order == ORDER_EMPTY) {
            continue;
        }
        uint8_t after = (uint8_t)((i + 1u) % DEDUP_SIZE);
        if (read_order(after) != order_after(order)) {  /* empty, or the oldest: i is newest */
            next_slot = after;
            next_order = order_after(order);
            return;
        }
    }
}

static int16_t find_slot(uint16_t seq) {
    for (uint8_t i = 0; i < DEDUP_SIZE; i++) {
        if (read_order(i) != ORDER_EMPTY && read_seq(i) == seq) {
            return i;
        }
    }
    return -1;
}

uint8_t dedup_find(uint16_t seq, dedup_entry_t *e) {
    int16_t slot = find_slot(seq);
    return slot >= 0 && read_slot((uint8_t)slot, e);
}

void dedup_add(uint16_t seq, uint8_t command) {
    ee_slot_t *s = &ee.slot[next_slot];
    eeprom_update_byte(&s->order, ORDER_EMPTY);
    eeprom_update_byte(&s->final, DEDUP_RUNNING);
    eeprom_update_byte(&s->command, command);
    eeprom_update_byte(&s->seq_hi, (uint8_t)(seq >> 8));
    eeprom_update_byte(&s->seq_lo, (uint8_t)seq);
    eeprom_update_byte(&s->order, next_order);
    next_slot = (uint8_t)((next_slot + 1u) % DEDUP_SIZE);
    next_order = order_after(next_order);
}

void dedup_finish(uint16_t seq, uint8_t final, uint8_t code) {
    int16_t slot = find_slot(seq);
    if (slot >= 0) {
        eeprom_update_byte(&ee.slot[slot].code, code);
        eeprom_update_byte(&ee.slot[slot].final, final);
    }
}

uint8_t dedup_entry(uint8_t k, dedup_entry_t *e) {
    return k < DEDUP_SIZE && read_slot((uint8_t)((next_slot + k) % DEDUP_SIZE), e);
}
