/* PUS-C over CCSDS space packets: TC acceptance, TM building, ST[01] reports. */
#ifndef RO_PUS_H
#define RO_PUS_H

#include <avr/pgmspace.h>
#include <stdint.h>

typedef struct {
    uint8_t b[4];  /* packet id and sequence control of the TC */
} req_id_t;

/* Handle one decoded packet from the link: reject it, replay a duplicate, or execute it. */
void tc_handle(uint8_t *packet, uint16_t len);

/* Start a TM: the returned pointer is where its source data goes; finish with tm_send. */
uint8_t *tm_begin(uint8_t service, uint8_t subtype);
void tm_send(uint8_t source_len);

void report_success(const req_id_t *req, uint8_t subtype);
void report_progress(const req_id_t *req, uint8_t step);
/* A failure notice; the reason is `name` (flash, may be NULL) then `text` (flash). */
void report_failure(const req_id_t *req, uint8_t subtype, uint8_t code, PGM_P name, PGM_P text);
/* A final failure (start or completion) with the standard reason for its code; `command`
 * (its index in ro_commands, or >= RO_COMMAND_COUNT if unknown) names it where the reason does. */
void report_final_failure(const req_id_t *req, uint8_t subtype, uint8_t code, uint8_t command);

#endif
