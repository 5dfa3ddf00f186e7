#include "did_you_mean.hpp"

#include <algorithm>
#include <vector>

namespace loyalty::io::spelling {

std::size_t distance(std::string_view a, std::string_view b) {
    // Three rows of the dynamic programme: the row before the previous one for transpositions.
    std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                current[j] = std::min(current[j], before[j - 2] + 1);
        }
        before.swap(previous);
        previous.swap(current);
    }
    return previous[b.size()];
}

bool close(std::string_view typed, std::string_view known) {
    const std::size_t d = distance(typed, known);
    return d <= 2 && 2 * d < std::max(typed.size(), known.size());
}

}  // namespace loyalty::io::spelling
