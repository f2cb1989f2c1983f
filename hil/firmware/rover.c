#include "config.h"
#include "rover.h"

#include "bytes.h"
#include "clock.h"
#include "dedup.h"
#include "generated/dictionary.h"

#include <avr/interrupt.h>
#include <avr/io.h>
#include <avr/wdt.h>
#include <math.h>
#include <string.h>

#define MOTION_NONE 0u
#define MOTION_DRIVE 1u
#define MOTION_TURN 2u
#define DEG2RAD 0.017453292519943295f

typedef struct {
    uint8_t kind;
    req_id_t req;
    float total;        /* metres or degrees, positive */
    float done;
    float rate;         /* per mission second, positive */
    int8_t sign;
    uint8_t next_step;  /* next progress percentage to report */
} motion_t;

static rover_counters_t counters;
static float x_m, y_m, odometer_m;
static float heading_deg = RO_START_HEADING_DEG;
static float battery_pct = RO_START_SOC_PCT;
static uint8_t mode = RO_ENUM_MODE_NOMINAL;
static uint8_t heaters;  /* bit per RO_ENUM_ZONE_*: remembered, no hardware behind it */
static motion_t motion;

rover_counters_t *rover_counters(void) { return &counters; }

static void led(uint8_t on) {
    if (on) {
        PORTB |= _BV(PB5);
    } else {
        PORTB &= (uint8_t)~_BV(PB5);
    }
}

void rover_init(void) {
    DDRB |= _BV(PB5);
    led(0);
}

static uint8_t kind_of(uint8_t index) { return pgm_read_byte(&ro_commands[index].kind); }

/* The board has no instruments (cameras, radar, ...): those are UNKNOWN_FUNCTION here. Every
 * other kind is executed by rover_execute, which has a case for each such command. */
uint8_t rover_supports(uint8_t index) { return kind_of(index) != RO_KIND_INSTRUMENT; }

static uint16_t req_seq(const req_id_t *req) { return get_u16(req->b + 2) & 0x3FFFu; }

static void complete(const req_id_t *req) {
    counters.executed++;
    dedup_finish(req_seq(req), RO_VER_COMPLETION_SUCCESS, 0);
    report_success(req, RO_VER_COMPLETION_SUCCESS);
}

/* `command` (index, or DEDUP_NO_COMMAND) is named in the reason where the code calls for it. */
static void fail_command(const req_id_t *req, uint8_t subtype, uint8_t code, uint8_t command) {
    dedup_finish(req_seq(req), subtype, code);
    report_final_failure(req, subtype, code, command);
}

static void fail(const req_id_t *req, uint8_t subtype, uint8_t code) {
    fail_command(req, subtype, code, DEDUP_NO_COMMAND);
}

static void interrupt_motion(void) {
    if (motion.kind != MOTION_NONE) {
        motion.kind = MOTION_NONE;
        led(0);
        fail(&motion.req, RO_VER_COMPLETION_FAILURE, RO_FAIL_INTERRUPTED);
    }
}

static void start_motion(uint8_t kind, const req_id_t *req, float amount, float rate) {
    interrupt_motion();
    report_success(req, RO_VER_START_SUCCESS);
    if (amount == 0.0f) {
        complete(req);
        return;
    }
    motion.kind = kind;
    motion.req = *req;
    motion.sign = amount < 0 ? -1 : 1;
    motion.total = fabsf(amount);
    motion.done = 0.0f;
    motion.rate = rate;
    motion.next_step = RO_MOTION_PROGRESS_PCT;
    led(1);
}

static void event_mode_changed(uint8_t from, uint8_t to) {
    uint8_t *d = tm_begin(5, RO_EVT_MODE_CHANGED_SUBTYPE);
    put_u16(d, RO_EVT_MODE_CHANGED_ID);
    d[2 + RO_EVT_MODE_CHANGED_FROM_MODE_OFFSET] = from;
    d[2 + RO_EVT_MODE_CHANGED_TO_MODE_OFFSET] = to;
    tm_send(2 + RO_EVT_MODE_CHANGED_SIZE);
}

void rover_boot_event(void) {
    uint8_t *d = tm_begin(5, RO_EVT_BOOT_SUBTYPE);
    put_u16(d, RO_EVT_BOOT_ID);
    tm_send(2 + RO_EVT_BOOT_SIZE);
}

/* A reset by the watchdog. Its shortest period (15 ms) leaves the UART ample time to send
 * the START_SUCCESS just written (its last two bytes take 0.2 ms at 115200 baud). */
static void reboot(void) __attribute__((noreturn));
static void reboot(void) {
    cli();
    wdt_enable(WDTO_15MS);
    for (;;) {
    }
}

/* At boot, after the BOOT event: every remembered request without a final report was cut
 * by the reset. Oldest accepted first, each gets its final report now, recorded before it is
 * sent (a later duplicate replays it): COMPLETION_SUCCESS for a REBOOT, which did what it
 * was asked, whatever made the board restart; COMPLETION_FAILURE RESET for anything else.
 * After BOOT, so that the ground hears of the reset before its consequences, and so that
 * they are numbered in the new TM sequence that starts at BOOT. */
void rover_resume(void) {
    dedup_entry_t e;
    for (uint8_t k = 0; k < DEDUP_SIZE; k++) {
        if (!dedup_entry(k, &e) || e.final != DEDUP_RUNNING) {
            continue;
        }
        req_id_t req;
        put_u16(req.b, (uint16_t)(0x1800u | RO_APID));
        put_u16(req.b + 2, (uint16_t)(0xC000u | (e.seq & 0x3FFFu)));
        if (e.command == RO_CMD_REBOOT_INDEX) {
            complete(&req);
        } else {
            fail_command(&req, RO_VER_COMPLETION_FAILURE, RO_FAIL_RESET, e.command);
        }
    }
}

void rover_execute(uint8_t index, const req_id_t *req, const uint8_t *args) {
    if (kind_of(index) == RO_KIND_MOTION && mode != RO_ENUM_MODE_NOMINAL) {
        fail(req, RO_VER_START_FAILURE, RO_FAIL_FORBIDDEN_IN_MODE);
        return;
    }
    switch (index) {
    case RO_CMD_PING_INDEX:
        report_success(req, RO_VER_START_SUCCESS);
        (void)tm_begin(17, 2);
        tm_send(0);
        complete(req);
        break;
    case RO_CMD_SYNC_TIME_INDEX:
        report_success(req, RO_VER_START_SUCCESS);
        clock_sync(get_u32(args + RO_ARG_SYNC_TIME_SECONDS_OFFSET),
                   get_f32(args + RO_ARG_SYNC_TIME_TIME_SCALE_OFFSET));
        complete(req);
        break;
    case RO_CMD_DRIVE_INDEX:
        start_motion(MOTION_DRIVE, req, get_f32(args + RO_ARG_DRIVE_DISTANCE_M_OFFSET),
                     get_f32(args + RO_ARG_DRIVE_SPEED_MPS_OFFSET));
        break;
    case RO_CMD_TURN_INDEX:
        start_motion(MOTION_TURN, req, get_f32(args + RO_ARG_TURN_ANGLE_DEG_OFFSET),
                     RO_TURN_RATE_DEG_S);
        break;
    case RO_CMD_STOP_INDEX:
        interrupt_motion();  /* the interrupted one ends before STOP starts, as the emulator */
        report_success(req, RO_VER_START_SUCCESS);
        complete(req);
        break;
    case RO_CMD_SET_HEATER_INDEX: {
        uint8_t bit = (uint8_t)(1u << args[RO_ARG_SET_HEATER_ZONE_OFFSET]);
        report_success(req, RO_VER_START_SUCCESS);
        heaters = args[RO_ARG_SET_HEATER_ON_OFFSET] ? (uint8_t)(heaters | bit)
                                                    : (uint8_t)(heaters & (uint8_t)~bit);
        complete(req);
        break;
    }
    case RO_CMD_SET_MODE_INDEX: {
        uint8_t to = args[RO_ARG_SET_MODE_MODE_OFFSET];
        report_success(req, RO_VER_START_SUCCESS);
        if (to != mode) {
            if (to != RO_ENUM_MODE_NOMINAL) {
                interrupt_motion();
            }
            event_mode_changed(mode, to);
            mode = to;
        }
        complete(req);
        break;
    }
    case RO_CMD_REBOOT_INDEX:
        /* Its completion comes after the restart, from rover_resume. A motion under way is
         * not interrupted first: it dies with the reset and is reported RESET there. */
        report_success(req, RO_VER_START_SUCCESS);
        reboot();
    default:
        /* instruments: rover_supports() said no and tc_handle rejected them. A new command
         * of another kind needs its case here (tests/hil/test_codegen.py checks). */
        break;
    }
}

void rover_update(float dt) {
    if (motion.kind == MOTION_NONE || dt <= 0.0f) {
        return;
    }
    float step = motion.rate * dt;
    if (motion.done + step >= motion.total) {
        step = motion.total - motion.done;
    }
    motion.done += step;
    float signed_step = motion.sign * step;
    if (motion.kind == MOTION_DRIVE) {
        x_m += signed_step * cosf(heading_deg * DEG2RAD);
        y_m += signed_step * sinf(heading_deg * DEG2RAD);
        odometer_m += step;
        battery_pct -= step * BATTERY_DRAIN_PCT_PER_M;
        if (battery_pct < 0.0f) {
            battery_pct = 0.0f;
        }
    } else {
        heading_deg = fmodf(heading_deg + signed_step, 360.0f);
        if (heading_deg < 0.0f) {
            heading_deg += 360.0f;
        }
    }
    if (motion.done >= motion.total) {
        motion.kind = MOTION_NONE;
        led(0);
        complete(&motion.req);
        return;
    }
    /* The last multiple of the step reached, once, as the emulator reports it: a long stretch
     * of mission time in one update reports where the motion got to, not each step on the way.
     * Below 100 %: the completion says 100. */
    float pct = 100.0f * motion.done / motion.total;
    if (pct >= (float)motion.next_step && pct < 100.0f) {
        uint8_t reached = (uint8_t)((uint8_t)pct / RO_MOTION_PROGRESS_PCT * RO_MOTION_PROGRESS_PCT);
        report_progress(&motion.req, reached);
        motion.next_step = (uint8_t)(reached + RO_MOTION_PROGRESS_PCT);
    }
}

void rover_housekeeping(void) {
    uint8_t *d = tm_begin(3, 25);
    uint8_t *c = d + 2;
    put_u16(d, RO_HK1_SID);
    put_f32(c + RO_HK1_POSITION_X_M_OFFSET, x_m);
    put_f32(c + RO_HK1_POSITION_Y_M_OFFSET, y_m);
    put_f32(c + RO_HK1_HEADING_DEG_OFFSET, heading_deg);
    put_f32(c + RO_HK1_ODOMETER_M_OFFSET, odometer_m);
    put_f32(c + RO_HK1_SPEED_MPS_OFFSET, motion.kind == MOTION_DRIVE ? motion.rate : 0.0f);
    put_f32(c + RO_HK1_BATTERY_SOC_PCT_OFFSET, battery_pct);
    c[RO_HK1_MODE_OFFSET] = mode;
    put_u16(c + RO_HK1_CMD_ACCEPTED_OFFSET, counters.accepted);
    put_u16(c + RO_HK1_CMD_REJECTED_OFFSET, counters.rejected);
    put_u16(c + RO_HK1_CMD_EXECUTED_OFFSET, counters.executed);
    tm_send(2 + RO_HK1_SIZE);
}
