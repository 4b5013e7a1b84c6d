// libxml2 built with ICU declares ICU's UErrorCode through <unicode/…>, which clashes with the
// ICU that Foundation carries (_FoundationICU) in any module that imports both. The tests use
// nothing of libxml2's ICU encoding support, only pointers to its structures, so its ICU
// headers are left out: xmlversion.h is read first and its guard keeps the #undef.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
