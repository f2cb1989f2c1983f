/* Reference rover firmware for the ATmega328P: docs/protocol.md on UART0.
 *
 * At boot: the execute-once memory is read back from EEPROM (dedup.c), the BOOT event is
 * sent, then the final reports of the requests the reset cut short (rover_resume).
 *
 * The main loop drains the UART ring into the deframer, handles each TC to the end (its
 * reports go out before the next TC is read), advances motion on the mission clock, sends
 * SID 1 housekeeping every second of board time, and sleeps (idle) until the next interrupt. */
#include "config.h"

#include "clock.h"
#include "dedup.h"
#include "generated/dictionary.h"
#include "link.h"
#include "pus.h"
#include "rover.h"
#include "uart.h"

#include <avr/interrupt.h>
#include <avr/io.h>
#include <avr/sleep.h>
#include <avr/wdt.h>

/* After a watchdog reset (REBOOT) the watchdog stays on at its shortest period, with WDRF
 * set in MCUSR; it would reset the board again before main. avr-libc's advice: clear MCUSR
 * (WDRF holds WDE on) and disable the watchdog in .init3, before the C runtime's set-up. */
static void __attribute__((naked, used, section(".init3"))) watchdog_off(void) {
    MCUSR = 0;
    wdt_disable();
}

int main(void) {
    uart_init();
    clock_init();
    rover_init();
    dedup_init();
    set_sleep_mode(SLEEP_MODE_IDLE);
    sei();
    rover_boot_event();
    rover_resume();
    uint32_t next_hk = clock_millis() + RO_HK1_PERIOD_MS;
    for (;;) {
        int16_t c;
        while ((c = uart_getc()) >= 0) {
            uint8_t *packet;
            uint16_t len = link_feed((uint8_t)c, &packet);
            if (len != 0) {
                tc_handle(packet, len);
            }
        }
        rover_update(clock_update());
        uint32_t now = clock_millis();
        if ((int32_t)(now - next_hk) >= 0) {
            rover_housekeeping();
            next_hk += RO_HK1_PERIOD_MS;
            if ((int32_t)(now - next_hk) >= 0) {
                next_hk = now + RO_HK1_PERIOD_MS;  /* fell behind: do not burst */
            }
        }
#ifndef RO_NO_SLEEP
        cli();
        if (uart_rx_empty()) {
            sleep_enable();
            sei();
            sleep_cpu();
            sleep_disable();
        }
        sei();
#endif
    }
}
