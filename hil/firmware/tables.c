/* The dictionary's command and argument tables, in flash (generated/dictionary.h). */
#define RO_DICTIONARY_TABLES
#include "generated/dictionary.h"
