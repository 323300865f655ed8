import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The quick start's data: a bookshop catalogue and its readers, generated from the word lists below (written for this
 * project, free to redistribute), the same for a seed on every machine. Run with the JDK's source launcher:
 *
 * <pre>java scripts/catalog/CatalogGenerator.java OUT_DIR [SEED] [BOOKS_PER_TOPIC] [READERS]</pre>
 *
 * writes {@code OUT_DIR/items.ndjson} and {@code OUT_DIR/interactions.ndjson} ({@code _bulk} bodies) and
 * {@code OUT_DIR/tastes.tsv} (each reader's favourite topics). Readers have one or two favourite topics and take 85%
 * of their books from them, popular books more often; every tenth book is a new arrival nobody has read yet, so
 * only its text can place it.
 */
public final class CatalogGenerator {

    record Topic(String name, String[] nouns, String[] adjectives, String[] phrases) {}

    static final Topic[] TOPICS = {
        new Topic("space", words("planets moons comets nebulae rockets telescopes orbits astronauts galaxies stars"),
            words("distant silent frozen luminous orbital lunar"),
            new String[] {"how probes cross the solar system", "life aboard a space station", "what telescopes see at the edge of the universe",
                "the race to land on the moon", "searching for planets around other stars"}),
        new Topic("baking", words("breads cakes pastries tarts biscuits loaves croissants pies muffins sourdough"),
            words("golden buttery crusty sweet rustic homemade"),
            new String[] {"kneading dough and proving it overnight", "recipes from a village bakery", "the science of yeast and flour",
                "desserts for family celebrations", "getting a crisp crust from a home oven"}),
        new Topic("mountains", words("summits ridges glaciers trails valleys passes peaks huts cliffs expeditions"),
            words("alpine steep windswept high remote rugged"),
            new String[] {"a long walk across the Alps", "climbing a frozen north face", "routes for hikers and scramblers",
                "surviving a storm near the summit", "the first ascent of a great peak"}),
        new Topic("jazz", words("saxophones trumpets ballads clubs standards quartets improvisations records drummers pianists"),
            words("smoky blue swinging late-night cool improvised"),
            new String[] {"the players who invented bebop", "nights in the clubs of Harlem", "how to listen to a jazz solo",
                "the story of a legendary record label", "learning to improvise on the piano"}),
        new Topic("mystery", words("murders detectives clues suspects alibis inspectors secrets poisons witnesses confessions"),
            words("locked-room baffling sinister hidden deadly unsolved"),
            new String[] {"an inspector hunts a killer in a sleepy village", "a body is found in the library", "a detective untangles a web of lies",
                "the butler has an alibi and a secret", "a cold case reopens after thirty years"}),
        new Topic("gardening", words("roses vegetables seeds hedges orchards herbs bulbs lawns greenhouses compost"),
            words("flowering organic shady seasonal fragrant wild"),
            new String[] {"growing vegetables in a small yard", "planning a garden through the seasons", "pruning roses and fruit trees",
                "making rich compost at home", "a year in a cottage garden"}),
        new Topic("programming", words("algorithms compilers databases functions interfaces servers tests languages networks threads"),
            words("concurrent functional clean scalable distributed typed"),
            new String[] {"writing software that lasts", "designing systems that scale", "how compilers turn code into machine instructions",
                "testing code before it breaks", "data structures every engineer should know"}),
        new Topic("sailing", words("voyages harbours tides schooners islands storms navigators lighthouses oceans crews"),
            words("salty seaworthy coastal stormy windward nautical"),
            new String[] {"crossing the Atlantic in a small boat", "navigating by the stars", "life on a tall ship",
                "a lighthouse keeper and the sea", "racing yachts around the world"}),
        new Topic("medieval", words("castles knights kings monasteries crusades sieges abbeys manuscripts dynasties chroniclers"),
            words("feudal royal fortified ancient warring monastic"),
            new String[] {"the rise and fall of a royal house", "daily life in a medieval village", "how castles were besieged",
                "monks who copied manuscripts by candlelight", "the knights and their code of honour"}),
        new Topic("football", words("goals strikers managers leagues derbies stadiums tactics keepers seasons champions"),
            words("legendary attacking underdog title-winning local defensive"),
            new String[] {"a small club chasing the title", "the tactics behind a famous final", "a striker's life on and off the pitch",
                "managers who changed the game", "fans and rivalries of a city derby"}),
        new Topic("finance", words("savings budgets investments pensions markets shares debts incomes mortgages funds"),
            words("frugal long-term personal prudent wealthy practical"),
            new String[] {"paying off debt and saving for later", "investing in index funds", "planning for a comfortable retirement",
                "how markets rise and crash", "a household budget that works"}),
        new Topic("photography", words("lenses portraits landscapes cameras shutters exposures darkrooms prints shadows apertures"),
            words("candid black-and-white analogue wide-angle golden-hour cinematic"),
            new String[] {"composing a picture in the field", "developing film in a home darkroom", "portraits in natural light",
                "photographing landscapes at dawn", "choosing lenses and settings"}),
    };

    static final String[] TITLE_PATTERNS = {"%A %N", "The %A %N", "%N and %M", "A Book of %A %N", "%N: %P", "Notes on %A %N"};
    static final String[] FIRST_NAMES = words("Ada Ben Clara Dev Elena Felix Grace Hugo Ines Jonas Kira Leo Maya Nils Olga Pavel Rosa Sami Tara Yusuf");
    static final String[] LAST_NAMES = words("Brook Carver Dale Ellis Frost Greer Hale Ivers Jarvis Kemp Lowe Marsh Noble Orr Pryce Quill Rowe Stone Thorne Vance");

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 7;
        int perTopic = args.length > 2 ? Integer.parseInt(args[2]) : 80;
        int readers = args.length > 3 ? Integer.parseInt(args[3]) : 600;
        Random random = new Random(seed);
        Files.createDirectories(out);

        List<List<String>> booksByTopic = new ArrayList<>();
        Set<String> titles = new HashSet<>();
        try (PrintWriter items = writer(out.resolve("items.ndjson"))) {
            int id = 0;
            for (Topic topic : TOPICS) {
                List<String> books = new ArrayList<>();
                for (int i = 0; i < perTopic; i++) {
                    String bookId = String.format("b%04d", ++id);
                    String title;
                    do {
                        title = title(topic, random);
                    } while (titles.add(title) == false);
                    String author = pick(FIRST_NAMES, random) + " " + pick(LAST_NAMES, random);
                    String description = "A " + pick(topic.adjectives, random) + " book about " + pick(topic.phrases, random)
                        + ", with " + pick(topic.nouns, random) + " and " + pick(topic.nouns, random) + ".";
                    items.printf("{\"index\":{\"_id\":\"%s\"}}%n{\"title\":\"%s\",\"author\":\"%s\",\"topic\":\"%s\",\"description\":\"%s\"}%n",
                        bookId, title, author, topic.name, description);
                    if (id % 10 != 0) {
                        books.add(bookId);
                    }
                }
                booksByTopic.add(books);
            }
        }

        try (PrintWriter interactions = writer(out.resolve("interactions.ndjson"));
             PrintWriter tastes = writer(out.resolve("tastes.tsv"))) {
            for (int r = 1; r <= readers; r++) {
                String reader = String.format("u%03d", r);
                int first = random.nextInt(TOPICS.length);
                int second = random.nextInt(10) < 3 ? (first + 1 + random.nextInt(TOPICS.length - 1)) % TOPICS.length : -1;
                tastes.printf("%s\t%s%s%n", reader, TOPICS[first].name, second < 0 ? "" : "," + TOPICS[second].name);
                Set<String> read = new HashSet<>();
                int count = 10 + random.nextInt(30);
                while (read.size() < count) {
                    int topic = random.nextInt(100) >= 85 ? random.nextInt(TOPICS.length)
                        : second >= 0 && random.nextBoolean() ? second : first;
                    List<String> books = booksByTopic.get(topic);
                    // Squaring a uniform draw makes the first books of a topic its bestsellers.
                    double u = random.nextDouble();
                    String book = books.get((int) (u * u * books.size()));
                    if (read.add(book)) {
                        interactions.printf("{\"index\":{}}%n{\"user_id\":\"%s\",\"item_id\":\"%s\"}%n", reader, book);
                    }
                }
            }
        }
    }

    static String title(Topic topic, Random random) {
        String noun = pick(topic.nouns, random);
        String other;
        do {
            other = pick(topic.nouns, random);
        } while (other.equals(noun));
        return pick(TITLE_PATTERNS, random)
            .replace("%A", capitalise(pick(topic.adjectives, random)))
            .replace("%N", capitalise(noun))
            .replace("%M", capitalise(other))
            .replace("%P", capitalise(pick(topic.phrases, random)));
    }

    static String capitalise(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    static String pick(String[] words, Random random) {
        return words[random.nextInt(words.length)];
    }

    static String[] words(String spaceSeparated) {
        return spaceSeparated.split(" ");
    }

    static PrintWriter writer(Path file) throws IOException {
        return new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    }
}
