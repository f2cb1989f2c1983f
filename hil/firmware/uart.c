#include "config.h"
#include "uart.h"

#include <avr/interrupt.h>
#include <avr/io.h>
#include <util/atomic.h>

#define BAUD_TOL 3  /* 115200 at 16 MHz is 2.1 % off with U2X, as on every Arduino */
#include <util/setbaud.h>

static volatile uint8_t rx_ring[UART_RX_SIZE];
static volatile uint16_t rx_head;  /* written by the ISR */
static volatile uint16_t rx_tail;  /* written by the main loop */
static volatile uint16_t overruns;
static volatile uint16_t line_errors;

ISR(USART_RX_vect) {
    /* The receiver holds up to two bytes: take all that are there. */
    uint8_t status;
    while ((status = UCSR0A) & _BV(RXC0)) {  /* error flags are valid until UDR0 is read */
        uint8_t c = UDR0;
        if (status & (_BV(FE0) | _BV(DOR0))) {
            line_errors++;
        }
        uint16_t next = (uint16_t)((rx_head + 1u) & (UART_RX_SIZE - 1u));
        if (next == rx_tail) {
            overruns++;
            continue;
        }
        rx_ring[rx_head] = c;
        rx_head = next;
    }
}

void uart_init(void) {
#if USE_2X
    UCSR0A |= _BV(U2X0);
#else
    UCSR0A &= (uint8_t)~_BV(U2X0);
#endif
    UBRR0H = UBRRH_VALUE;  /* after U2X0: simavr derives its byte time when UBRR is written */
    UBRR0L = UBRRL_VALUE;
    UCSR0C = _BV(UCSZ01) | _BV(UCSZ00);  /* 8N1 */
    UCSR0B = _BV(RXEN0) | _BV(TXEN0) | _BV(RXCIE0);
}

int16_t uart_getc(void) {
    uint16_t head;
    ATOMIC_BLOCK(ATOMIC_RESTORESTATE) { head = rx_head; }
    if (head == rx_tail) {
        return -1;
    }
    uint8_t c = rx_ring[rx_tail];
    uint16_t next = (uint16_t)((rx_tail + 1u) & (UART_RX_SIZE - 1u));
    ATOMIC_BLOCK(ATOMIC_RESTORESTATE) { rx_tail = next; }
    return c;
}

uint8_t uart_rx_empty(void) {
    uint8_t empty;
    (void)UCSR0A;  /* polling the receiver when idle; simavr's uart model needs this */
    ATOMIC_BLOCK(ATOMIC_RESTORESTATE) { empty = rx_head == rx_tail; }
    return empty;
}

void uart_putc(uint8_t c) {
    loop_until_bit_is_set(UCSR0A, UDRE0);
    UDR0 = c;
}

uint16_t uart_overruns(void) {
    uint16_t n;
    ATOMIC_BLOCK(ATOMIC_RESTORESTATE) { n = overruns; }
    return n;
}

uint16_t uart_line_errors(void) {
    uint16_t n;
    ATOMIC_BLOCK(ATOMIC_RESTORESTATE) { n = line_errors; }
    return n;
}
