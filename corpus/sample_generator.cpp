/** @file sample_generator.cpp
 *  @brief Template-based story generator for the bundled sample.
 *
 *  Each story picks a beat (shipping, energy, elections, weather, technology,
 *  health), a place, people and organisations from small casts that recur
 *  across stories, and fills sentence templates. Every word was written here.
 */
#include "corpus/sample_generator.h"

#include "common/date.h"

#include <array>
#include <string>
#include <string_view>

namespace morgue::corpus {

namespace {

/// splitmix64: tiny, deterministic, good enough to shuffle templates.
class Rng {
  public:
    explicit Rng(std::uint64_t seed) : m_state(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
    template <typename C>
    const auto& pick(const C& c) {
        return c[below(c.size())];
    }

  private:
    std::uint64_t m_state;
};

struct SourceInfo {
    std::string_view name;
    std::string_view host;
    std::string_view author;
};

constexpr std::array<SourceInfo, 5> k_sources{{
    {"Harbor Wire", "harborwire.example", "Lena Marsh"},
    {"Northern Ledger", "northernledger.example", "Piet Varga"},
    {"Capital Dispatch", "capitaldispatch.example", "Rosa Achterberg"},
    {"Valley Courier", "valleycourier.example", "Dev Anand Rao"},
    {"Morning Signal", "morningsignal.example", "Ines Carvalho"},
}};

constexpr std::array<std::string_view, 10> k_people{
    "Mara Lindqvist", "Tomas Okafor", "Helena Brandt", "Yusuf Demir", "Anika Sorensen",
    "Rafael Moreno", "Grace Whitfield", "Kenji Arakawa", "Olga Petrenko", "Samuel Adeyemi"};
constexpr std::array<std::string_view, 10> k_people_roles{
    "the port authority chief", "the energy minister", "the opposition leader", "the trade union secretary",
    "the central bank governor", "the health commissioner", "the mayor", "the chief executive of Meridian Shipping",
    "the finance minister", "the head of the flood agency"};
constexpr std::array<std::string_view, 8> k_orgs{
    "Meridian Shipping", "Northbridge Energy", "the Council of Ports", "the National Weather Office",
    "Solace Health Trust", "the Union of Dock Workers", "Brightline Telecom", "the Electoral Commission"};
constexpr std::array<std::string_view, 10> k_places{
    "Rotterdam", "Lagos", "Valparaiso", "Hamburg", "Mombasa", "Gdansk", "Busan", "Lisbon", "Halifax", "Durban"};

struct Beat {
    std::string_view name;
    std::array<std::string_view, 3> headlines;  ///< {P}=person {O}=org {L}=place
    std::array<std::string_view, 8> sentences;
};

constexpr std::array<Beat, 6> k_beats{{
    {"shipping",
     {"Dock strike halts cargo traffic in {L}", "{O} reroutes container ships around {L}",
      "{P} warns of port congestion in {L}"},
     {"Cargo traffic in {L} slowed to a crawl on {D} as striking dock workers walked off the job.",
      "{P}, {R}, said talks with {O} would resume within days.",
      "Container ships queued outside the harbour, some waiting more than a week for a berth.",
      "Freight rates on routes through {L} rose sharply, according to figures from {O}.",
      "Exporters of fruit and machinery said delays were costing them orders.",
      "The union said the dispute was about pay, shift lengths and safety on night crews.",
      "{O} said it had moved several vessels to neighbouring ports to keep goods flowing.",
      "Officials in {L} expect the backlog to take a month to clear."}},
    {"energy",
     {"{O} raises electricity prices in {L}", "{P} defends new gas contracts",
      "Wind farm off {L} begins supplying power"},
     {"Households in {L} will pay more for electricity from next month, {O} said on {D}.",
      "{P}, {R}, told reporters the increase reflected the cost of imported gas.",
      "Consumer groups called the rise unfair and asked regulators to review it.",
      "The offshore wind project is expected to supply a fifth of the region's power.",
      "Analysts said prices could fall again if the winter proves mild.",
      "{O} reported higher quarterly profits, driven by its trading arm.",
      "The government is weighing a temporary cap on household bills.",
      "Engineers completed the last turbine installation ahead of schedule."}},
    {"elections",
     {"{P} leads early count in {L}", "Turnout surges as {L} votes",
      "{O} orders recount in disputed {L} district"},
     {"Voters in {L} queued from dawn on {D} to choose a new regional assembly.",
      "{P}, {R}, claimed victory before the final count was published.",
      "{O} said turnout was the highest recorded in two decades.",
      "Observers reported few irregularities, though some polling stations opened late.",
      "The result is expected to shift the balance of power in the national parliament.",
      "Supporters gathered in the main square as early results came in.",
      "Rival parties said they would wait for official figures before conceding.",
      "A recount was ordered in one district where the margin was under fifty votes."}},
    {"weather",
     {"Floods force evacuations near {L}", "Storm cuts power to thousands in {L}",
      "{O} issues heat warning for {L}"},
     {"Heavy rain and flooding around {L} on {D} forced hundreds of families from their homes.",
      "{O} said more rain was expected over the next two days.",
      "{P}, {R}, urged residents to avoid low-lying roads.",
      "Emergency crews used boats to reach villages cut off by the water.",
      "Power lines were brought down by fallen trees across the district.",
      "Schools were closed and trains between the coast and the capital were suspended.",
      "Farmers said the flooding had ruined much of the harvest.",
      "Temperatures are forecast to reach record levels later in the week."}},
    {"technology",
     {"{O} unveils satellite internet plan for {L}", "Outage at {O} disrupts payments in {L}",
      "{P} announces data protection inquiry"},
     {"{O} said on {D} it would bring high-speed internet to remote areas around {L}.",
      "A software fault left card payments failing for several hours.",
      "{P}, {R}, said an inquiry would examine how customer data was stored.",
      "Engineers traced the outage to a faulty update pushed overnight.",
      "The company apologised and promised compensation to affected shops.",
      "Regulators have asked for a full report within thirty days.",
      "The network will rely on a new generation of low-orbit satellites.",
      "Small businesses said the disruption cost them a day's takings."}},
    {"health",
     {"{O} opens new hospital wing in {L}", "Measles cases rise in {L}, says {O}",
      "{P} pledges shorter waiting lists"},
     {"{O} opened a new emergency wing in {L} on {D}, adding two hundred beds.",
      "{P}, {R}, said waiting times had fallen for the first time in three years.",
      "Health officials reported a rise in measles cases among schoolchildren.",
      "A vaccination drive will run in clinics and schools through the spring.",
      "Nurses welcomed the extra beds but said staffing remained tight.",
      "The hospital will also house a training centre for paramedics.",
      "Doctors urged parents to check their children's vaccination records.",
      "The trust said the project was finished on time and under budget."}},
}};

std::string fill(std::string_view tpl, std::string_view person, std::string_view role, std::string_view org,
                 std::string_view place, std::string_view day) {
    std::string out;
    for (std::size_t i = 0; i < tpl.size(); ++i) {
        if (tpl[i] == '{' && i + 2 < tpl.size() && tpl[i + 2] == '}') {
            switch (tpl[i + 1]) {
                case 'P': out += person; break;
                case 'R': out += role; break;
                case 'O': out += org; break;
                case 'L': out += place; break;
                case 'D': out += day; break;
                default: out += tpl.substr(i, 3); break;
            }
            i += 2;
            continue;
        }
        out += tpl[i];
    }
    // Sentence-initial "the Council..." reads better capitalised.
    if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 32);
    return out;
}

constexpr std::array<std::string_view, 7> k_weekdays{"Thursday", "Friday", "Saturday", "Sunday",
                                                     "Monday", "Tuesday", "Wednesday"};

}  // namespace

std::vector<Article> generate_sample(const SampleOptions& options) {
    Rng rng(options.seed);
    std::vector<Article> out;
    const std::int64_t first_day = days_from_civil(2019, 1, 1);
    const std::int64_t span_days = days_from_civil(2024, 12, 31) - first_day;
    for (std::size_t n = 0; n < options.stories; ++n) {
        const Beat& beat = rng.pick(k_beats);
        const std::size_t pi = rng.below(k_people.size());
        const std::string_view person = k_people[pi];
        const std::string_view role = k_people_roles[pi];
        const std::string_view org = rng.pick(k_orgs);
        const std::string_view place = rng.pick(k_places);
        const std::int64_t day = first_day + static_cast<std::int64_t>(rng.below(static_cast<std::size_t>(span_days)));
        const std::string_view weekday = k_weekdays[static_cast<std::size_t>(((day % 7) + 7) % 7)];
        const SourceInfo& src = rng.pick(k_sources);

        Article a;
        char id[32];
        std::snprintf(id, sizeof id, "sample-%04zu", n + 1);
        a.id = id;
        a.title = fill(rng.pick(beat.headlines), person, role, org, place, weekday);
        // Lead sentence first, then four or five others in a shuffled order.
        std::array<std::size_t, 7> order{1, 2, 3, 4, 5, 6, 7};
        for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
        std::string body = fill(beat.sentences[0], person, role, org, place, weekday);
        const std::size_t count = 4 + rng.below(2);
        for (std::size_t i = 0; i < count; ++i) {
            body += (i % 2 == 1) ? "\n\n" : " ";
            body += fill(beat.sentences[order[i]], person, role, org, place, weekday);
        }
        a.body = body;
        a.date = day * 86400 + static_cast<std::int64_t>(6 + rng.below(14)) * 3600 +
                 static_cast<std::int64_t>(rng.below(60)) * 60;
        a.source = std::string(src.name);
        a.authors = {std::string(src.author)};
        a.language = "en";
        std::string slug;
        for (char c : a.title) {
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) slug += c;
            else if (c >= 'A' && c <= 'Z') slug += static_cast<char>(c + 32);
            else if (!slug.empty() && slug.back() != '-') slug += '-';
        }
        while (!slug.empty() && slug.back() == '-') slug.pop_back();
        const CivilDate cd = civil_from_days(day);
        char path[64];
        std::snprintf(path, sizeof path, "/%04d/%02d/%02d/", cd.year, cd.month, cd.day);
        a.url = "https://" + std::string(src.host) + path + slug;
        out.push_back(a);

        // Roughly one story in twelve is a wire story picked up by other outlets,
        // lightly edited: a new headline tail, a dropped or added sentence.
        if (n % 12 == 5) {
            const std::size_t copies = 1 + rng.below(2);
            for (std::size_t c = 1; c <= copies; ++c) {
                Article copy = a;
                const SourceInfo& other = k_sources[(static_cast<std::size_t>(&src - k_sources.data()) + c) % k_sources.size()];
                copy.id = a.id + "-c" + std::to_string(c);
                copy.source = std::string(other.name);
                copy.authors = {};
                copy.url = "https://" + std::string(other.host) + path + slug;
                copy.date = *a.date + static_cast<std::int64_t>(c) * 1800;
                if (c == 1) copy.body += "\n\n(Reporting by " + std::string(src.author) + "; editing by the " +
                                         std::string(other.name) + " desk.)";
                else copy.title += " - update";
                out.push_back(std::move(copy));
            }
        }
    }
    return out;
}

}  // namespace morgue::corpus
