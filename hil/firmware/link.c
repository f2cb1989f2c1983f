#include "config.h"
#include "generated/dictionary.h"
#include "link.h"
#include "uart.h"

#include <util/crc16.h>

#if FRAME_MAX < RO_MAX_TC_SIZE + 1
#error "FRAME_MAX must hold a COBS-encoded TC of RO_MAX_TC_SIZE bytes"
#endif
#define LINK_MIN_PACKET 8u  /* as spacelink/framing.py: shorter is "too_short" */

static uint8_t frame[FRAME_MAX];
static uint16_t frame_len;
static uint8_t overflow;
static link_counters_t counters;

uint16_t crc16_ccitt_false(const uint8_t *data, uint16_t len) {
    uint16_t crc = 0xFFFFu;  /* XMODEM's polynomial and shift, CCITT-FALSE's initial value */
    for (uint16_t i = 0; i < len; i++) {
        crc = _crc_xmodem_update(crc, data[i]);
    }
    return crc;
}

/* Decode in place; the decoded length, or 0 when the frame is not valid COBS. */
static uint16_t cobs_decode(uint8_t *buf, uint16_t len) {
    uint16_t in = 0, out = 0;
    while (in < len) {
        uint8_t code = buf[in++];
        if (code == 0) {
            return 0;
        }
        for (uint8_t k = 1; k < code; k++) {
            if (in >= len) {
                return 0;
            }
            buf[out++] = buf[in++];
        }
        if (code != 0xFF && in < len) {
            buf[out++] = 0;
        }
    }
    return out;
}

uint16_t link_feed(uint8_t byte, uint8_t **packet) {
    if (byte != 0) {
        if (frame_len < FRAME_MAX) {
            frame[frame_len++] = byte;
        } else {
            overflow = 1;
        }
        return 0;
    }
    uint16_t len = frame_len;
    uint8_t was_long = overflow;
    frame_len = 0;
    overflow = 0;
    if (was_long) {
        counters.too_long++;
        return 0;
    }
    if (len == 0) {
        return 0;  /* idle fill between delimiters */
    }
    uint16_t decoded = cobs_decode(frame, len);
    if (decoded == 0) {
        counters.cobs++;
        return 0;
    }
    if (decoded < LINK_MIN_PACKET) {
        counters.too_short++;
        return 0;
    }
    if (crc16_ccitt_false(frame, decoded) != 0) {  /* over data and its CRC: 0 when intact */
        counters.crc++;
        return 0;
    }
    counters.frames++;
    *packet = frame;
    return decoded;
}

void link_send(const uint8_t *packet, uint8_t len) {
    /* packets are shorter than 254 bytes: no 0xFF blocks */
    uint8_t start = 0;
    for (uint8_t i = 0;; i++) {
        if (i == len || packet[i] == 0) {
            uart_putc((uint8_t)(i - start + 1u));
            for (uint8_t k = start; k < i; k++) {
                uart_putc(packet[k]);
            }
            start = (uint8_t)(i + 1u);
            if (i == len) {
                break;
            }
        }
    }
    uart_putc(0);
}

const link_counters_t *link_counters(void) { return &counters; }
