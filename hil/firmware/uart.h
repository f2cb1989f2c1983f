/* UART0: interrupt-driven receive into a ring buffer, polled transmit. */
#ifndef RO_UART_H
#define RO_UART_H

#include <stdint.h>

void uart_init(void);
int16_t uart_getc(void);          /* next received byte, or -1 when none is waiting */
uint8_t uart_rx_empty(void);
void uart_putc(uint8_t c);
uint16_t uart_overruns(void);     /* bytes lost because the ring was full */
uint16_t uart_line_errors(void);  /* framing errors and hardware overruns seen */

#endif
