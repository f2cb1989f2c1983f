#include "config.h"
#include "clock.h"

#include <avr/interrupt.h>
#include <avr/io.h>
#include <util/atomic.h>

static volatile uint32_t ms;
static uint32_t last_ms;
static uint32_t mission_coarse;
static float mission_frac;  /* [0, 1) s */
static float scale = 1.0f;

ISR(TIMER0_COMPA_vect) { ms++; }

void clock_init(void) {
    TCCR0A = _BV(WGM01);               /* CTC */
    TCCR0B = _BV(CS01) | _BV(CS00);    /* clk/64: 250 kHz */
    OCR0A = (uint8_t)(F_CPU / 64u / 1000u - 1u);
    TIMSK0 = _BV(OCIE0A);
}

uint32_t clock_millis(void) {
    uint32_t now;
    ATOMIC_BLOCK(ATOMIC_RESTORESTATE) { now = ms; }
    return now;
}

float clock_update(void) {
    uint32_t now = clock_millis();
    uint32_t dt_ms = now - last_ms;
    last_ms = now;
    if (dt_ms == 0) {
        return 0.0f;
    }
    float dt = scale * (float)dt_ms / 1000.0f;
    float total = mission_frac + dt;
    uint32_t whole = (uint32_t)total;
    mission_coarse += whole;
    mission_frac = total - (float)whole;
    return dt;
}

void clock_sync(uint32_t seconds, float time_scale) {
    clock_update();
    mission_coarse = seconds;
    mission_frac = 0.0f;
    scale = time_scale;
}

void clock_mission(uint32_t *coarse, uint16_t *fine) {
    uint32_t f = (uint32_t)(mission_frac * 65536.0f);
    *coarse = mission_coarse;
    *fine = f > 0xFFFFu ? 0xFFFFu : (uint16_t)f;
}
