/** @file free_text.cpp
 *  @brief The free-text fields of an article, in the schema's order, with gaps between them.
 */
#include "common/free_text.h"

namespace morgue {

void index_free_text(const Article& a, Xapian::TermGenerator& tg, bool positions, const FieldHook& hook) {
    tg.set_termpos(0);
    for (const auto& field : schema::fields()) {
        if (field.kind != schema::FieldKind::FreeText) continue;
        const std::string prefix(field.prefix);
        auto index = [&](const std::string& text) {
            if (positions) tg.index_text(text, field.wdf_inc, prefix);
            else tg.index_text_without_positions(text, field.wdf_inc, prefix);
        };
        if (hook) hook(field, true);
        switch (field.source) {
            case schema::Source::Title: index(a.title); break;
            case schema::Source::Body: index(a.body); break;
            case schema::Source::Authors:
                for (const auto& author : a.authors) {
                    index(author);
                    tg.increase_termpos(kFieldGap);
                }
                break;
            default: break;
        }
        if (hook) hook(field, false);
        tg.increase_termpos(kFieldGap);
    }
}

}  // namespace morgue
