#include "config.h"
#include "pus.h"

#include "bytes.h"
#include "clock.h"
#include "dedup.h"
#include "generated/dictionary.h"
#include "link.h"
#include "rover.h"

#include <string.h>

static uint8_t tm[TM_MAX];
static uint16_t tm_seq;
static uint16_t tm_counter;

uint8_t *tm_begin(uint8_t service, uint8_t subtype) {
    uint32_t coarse;
    uint16_t fine;
    clock_mission(&coarse, &fine);
    put_u16(tm, 0x0800u | RO_APID);  /* version 0, TM, secondary header present */
    put_u16(tm + 2, (uint16_t)(0xC000u | tm_seq));
    tm[6] = RO_PUS_VERSION << 4;      /* time reference status 0 */
    tm[7] = service;
    tm[8] = subtype;
    put_u16(tm + 9, tm_counter);
    put_u16(tm + 11, 0);               /* destination id */
    put_u32(tm + 13, coarse);
    put_u16(tm + 17, fine);
    return tm + RO_TM_HEADER_SIZE;
}

void tm_send(uint8_t source_len) {
    uint8_t len = (uint8_t)(RO_TM_HEADER_SIZE + source_len + RO_CRC_SIZE);
    put_u16(tm + 4, (uint16_t)(len - 7u));
    put_u16(tm + len - 2, crc16_ccitt_false(tm, (uint16_t)(len - 2u)));
    link_send(tm, len);
    tm_seq = (uint16_t)((tm_seq + 1u) % RO_SEQ_COUNT_MODULO);
    tm_counter++;
}

void report_success(const req_id_t *req, uint8_t subtype) {
    uint8_t *d = tm_begin(1, subtype);
    memcpy(d, req->b, 4);
    tm_send(4);
}

void report_progress(const req_id_t *req, uint8_t step) {
    uint8_t *d = tm_begin(1, RO_VER_PROGRESS_SUCCESS);
    memcpy(d, req->b, 4);
    d[4] = step;
    tm_send(5);
}

void report_failure(const req_id_t *req, uint8_t subtype, uint8_t code, PGM_P name, PGM_P text) {
    uint8_t *d = tm_begin(1, subtype);
    memcpy(d, req->b, 4);
    uint8_t n = 4;
    if (subtype == RO_VER_PROGRESS_FAILURE) {
        d[n++] = 0;
    }
    put_u16(d + n, code);
    n += 2;
    uint8_t used = 0;
    if (name != 0) {
        strncpy_P((char *)d + n, name, RO_REASON_MAX);
        used = (uint8_t)strnlen((char *)d + n, RO_REASON_MAX);
    }
    strncpy_P((char *)d + n + used, text, (size_t)(RO_REASON_MAX - used));
    used = (uint8_t)(used + strnlen((char *)d + n + used, (size_t)(RO_REASON_MAX - used)));
    tm_send((uint8_t)(n + used));
}

static const char R_FORBIDDEN[] PROGMEM = "forbidden in this mode";
static const char R_HAZARD[] PROGMEM = "stopped by a hazard";
static const char R_INTERRUPTED[] PROGMEM = "interrupted by a newer command";
static const char R_LOW_POWER[] PROGMEM = "low power";
static const char R_RESET[] PROGMEM = " interrupted by reset";
static const char R_FAILED[] PROGMEM = "failed";

void report_final_failure(const req_id_t *req, uint8_t subtype, uint8_t code, uint8_t command) {
    PGM_P name = 0;
    PGM_P text = R_FAILED;
    switch (code) {
    case RO_FAIL_FORBIDDEN_IN_MODE: text = R_FORBIDDEN; break;
    case RO_FAIL_HAZARD: text = R_HAZARD; break;
    case RO_FAIL_INTERRUPTED: text = R_INTERRUPTED; break;
    case RO_FAIL_LOW_POWER: text = R_LOW_POWER; break;
    case RO_FAIL_RESET:  /* "DRIVE interrupted by reset", as the emulator says it */
        if (command < RO_COMMAND_COUNT) {
            name = ro_command_names[command];
            text = R_RESET;
        } else {
            text = R_RESET + 1;
        }
        break;
    default: break;
    }
    report_failure(req, subtype, code, name, text);
}

/* ----------------------------------------------------------------------------- acceptance */

static const char R_SHORT[] PROGMEM = "shorter than a TC header";
static const char R_LONG[] PROGMEM = "longer than a TC";
static const char R_VERSION[] PROGMEM = "CCSDS version is not 0";
static const char R_NOT_TC[] PROGMEM = "not a TC";
static const char R_NO_SEC[] PROGMEM = "no secondary header";
static const char R_LENGTH[] PROGMEM = "length field does not match";
static const char R_PUS[] PROGMEM = "PUS version is not 2";
static const char R_APID[] PROGMEM = "not our APID";
static const char R_SERVICE[] PROGMEM = "unknown service or subtype";
static const char R_NO_FID[] PROGMEM = "no function id";
static const char R_FUNCTION[] PROGMEM = "unknown function";
static const char R_LACKS[] PROGMEM = "function not on this board";
static const char R_ARGS[] PROGMEM = "argument bytes of the wrong length";
static const char R_RANGE[] PROGMEM = " out of range";

static void reject(const req_id_t *req, uint8_t code, PGM_P name, PGM_P text) {
    rover_counters()->rejected++;
    report_failure(req, RO_VER_ACCEPTANCE_FAILURE, code, name, text);
}

/* The command's index in ro_commands, or -1 (with *code saying why). */
static int8_t find_command(uint8_t service, uint8_t subtype, const uint8_t *data, uint16_t len,
                           uint8_t *code) {
    uint8_t known_service = 0;
    for (uint8_t i = 0; i < RO_COMMAND_COUNT; i++) {
        if (pgm_read_byte(&ro_commands[i].service) != service ||
            pgm_read_byte(&ro_commands[i].subtype) != subtype) {
            continue;
        }
        uint16_t fid = pgm_read_word(&ro_commands[i].function_id);
        if (fid == RO_NO_FUNCTION) {
            return (int8_t)i;
        }
        known_service = 1;
        if (len >= 2 && get_u16(data) == fid) {
            return (int8_t)i;
        }
    }
    if (!known_service) {
        *code = RO_FAIL_UNKNOWN_SERVICE;
    } else {
        *code = len < 2 ? RO_FAIL_BAD_ARGUMENTS : RO_FAIL_UNKNOWN_FUNCTION;
    }
    return -1;
}

/* The index of the first argument out of range, or -1 when all are fine. */
static int8_t check_args(uint8_t index, const uint8_t *args) {
    uint8_t first = pgm_read_byte(&ro_commands[index].first_arg);
    uint8_t n = pgm_read_byte(&ro_commands[index].n_args);
    for (uint8_t a = first; a < first + n; a++) {
        const ro_arg_t *arg = &ro_args[a];
        const uint8_t *p = args + pgm_read_byte(&arg->offset);
        uint8_t type = pgm_read_byte(&arg->type);
        float value;
        switch (type) {
        case RO_T_BOOL:
            if (p[0] > 1u) return (int8_t)a;
            continue;
        case RO_T_U8: value = p[0]; break;
        case RO_T_ENUM:
            if (p[0] >= pgm_read_byte(&arg->choices)) return (int8_t)a;
            continue;
        case RO_T_U16: value = get_u16(p); break;
        case RO_T_I16: value = (int16_t)get_u16(p); break;
        case RO_T_U32: value = (float)get_u32(p); break;
        case RO_T_I32: value = (float)(int32_t)get_u32(p); break;
        default: value = get_f32(p); break;
        }
        if (value != value) return (int8_t)a;  /* NaN */
        if (pgm_read_byte(&arg->has_min) && value < pgm_read_float(&arg->min)) return (int8_t)a;
        if (pgm_read_byte(&arg->has_max) && value > pgm_read_float(&arg->max)) return (int8_t)a;
        if (type == RO_T_F32 && (value - value) != 0.0f) return (int8_t)a;  /* infinite */
    }
    return -1;
}

static void replay(const req_id_t *req, const dedup_entry_t *e) {
    report_success(req, RO_VER_ACCEPTANCE_SUCCESS);
    if (e->final == RO_VER_COMPLETION_SUCCESS) {
        report_success(req, RO_VER_COMPLETION_SUCCESS);
    } else if (e->final != DEDUP_RUNNING) {
        report_final_failure(req, e->final, e->code, e->command);
    }
}

void tc_handle(uint8_t *p, uint16_t len) {
    req_id_t req = {{0, 0, 0, 0}};
    if (len >= 4) {
        put_u16(req.b, (uint16_t)(0x1800u | (get_u16(p) & 0x07FFu)));
        put_u16(req.b + 2, (uint16_t)(0xC000u | (get_u16(p + 2) & 0x3FFFu)));
    }
    if (len < RO_TC_HEADER_SIZE + RO_CRC_SIZE) {
        reject(&req, RO_FAIL_MALFORMED, 0, R_SHORT);
        return;
    }
    if (p[0] >> 5 != 0) { reject(&req, RO_FAIL_MALFORMED, 0, R_VERSION); return; }
    if (!(p[0] & 0x10)) { reject(&req, RO_FAIL_MALFORMED, 0, R_NOT_TC); return; }
    if (!(p[0] & 0x08)) { reject(&req, RO_FAIL_MALFORMED, 0, R_NO_SEC); return; }
    if ((uint32_t)get_u16(p + 4) + 7u != len) {
        reject(&req, RO_FAIL_MALFORMED, 0, R_LENGTH);
        return;
    }
    if (len > RO_MAX_TC_SIZE) { reject(&req, RO_FAIL_MALFORMED, 0, R_LONG); return; }
    /* The CRC was checked by the link (link_feed): a bad one never gets here, unanswered. */
    if (p[6] >> 4 != RO_PUS_VERSION) { reject(&req, RO_FAIL_MALFORMED, 0, R_PUS); return; }
    if ((get_u16(p) & 0x07FFu) != RO_APID) { reject(&req, RO_FAIL_WRONG_APID, 0, R_APID); return; }

    uint8_t service = p[7], subtype = p[8];
    const uint8_t *data = p + RO_TC_HEADER_SIZE;
    uint16_t data_len = (uint16_t)(len - RO_TC_HEADER_SIZE - RO_CRC_SIZE);
    uint8_t code = 0;
    int8_t index = find_command(service, subtype, data, data_len, &code);
    if (index < 0) {
        PGM_P why = code == RO_FAIL_UNKNOWN_SERVICE ? R_SERVICE
                    : data_len < 2                  ? R_NO_FID : R_FUNCTION;
        reject(&req, code, 0, why);
        return;
    }
    if (!rover_supports((uint8_t)index)) {
        reject(&req, RO_FAIL_UNKNOWN_FUNCTION, 0, R_LACKS);
        return;
    }
    if (pgm_read_word(&ro_commands[index].function_id) != RO_NO_FUNCTION) {
        data += 2;
        data_len -= 2;
    }
    if (data_len != pgm_read_byte(&ro_commands[index].args_size)) {
        reject(&req, RO_FAIL_BAD_ARGUMENTS, 0, R_ARGS);
        return;
    }
    int8_t bad = check_args((uint8_t)index, data);
    if (bad >= 0) {
        reject(&req, RO_FAIL_OUT_OF_RANGE, ro_args[bad].name, R_RANGE);
        return;
    }
    uint16_t seq = get_u16(p + 2) & 0x3FFFu;
    dedup_entry_t seen;
    if (dedup_find(seq, &seen)) {
        replay(&req, &seen);
        return;
    }
    /* Remembered in EEPROM before it executes: a reset from here on leaves it without a
     * final report, answered RESET at the next boot (rover_resume), never executed twice. */
    dedup_add(seq, (uint8_t)index);
    rover_counters()->accepted++;
    report_success(&req, RO_VER_ACCEPTANCE_SUCCESS);
    rover_execute((uint8_t)index, &req, data);
}
