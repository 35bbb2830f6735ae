package dev.ser4j.synth;


import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The synthetic corpus's words (docs/corpus.md, A3), word for word: class-specific templates that name the
 * emotion, valence-shared ones (negative for angry and sad, news for happy and neutral), ambiguous ones for
 * all four, and the slot fillers every class shares. {@code {slot}} is replaced by a uniformly drawn filler;
 * a capitalised slot name ({@code {Person}}) capitalises the filler's first letter.
 */
final class Lexicon {
    private Lexicon() {}

    /** Which list a transcript's template came from (A4's text-type draw). */
    enum TextType {
        /** The template names the emotion (u < 0.5). */
        SPECIFIC,
        /** The template shows only valence (0.5 <= u < 0.8). */
        VALENCE,
        /** The template fits every class (u >= 0.8). */
        AMBIGUOUS;

        String id() { return name().toLowerCase(Locale.ROOT); }
    }

    /** Slot fillers, {@code slot -> fillers} (A3). */
    static final Map<String, List<String>> FILLERS = Map.of(
            "person", List.of("Sarah", "my brother", "the landlord", "your mother", "Daniel", "the teacher", "my boss", "Emily", "our neighbour", "uncle Tom", "the doctor", "Michael"),
            "place", List.of("office", "kitchen", "station", "beach house", "hospital", "garden", "library", "restaurant", "airport", "cinema", "school", "market"),
            "day", List.of("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
            "object", List.of("key", "laptop", "bicycle", "guitar", "camera", "jacket", "umbrella", "phone", "wallet", "watch", "photo album", "lamp"),
            "event", List.of("party", "wedding", "concert", "meeting", "dinner", "game", "trip", "interview", "picnic", "birthday party", "ceremony", "show"),
            "activity", List.of("cooking dinner", "fixing the roof", "learning French", "running the marathon", "painting the fence", "planning the trip", "helping your sister", "cleaning the garage"),
            "number", List.of("two", "three", "four", "five", "six", "seven", "eight", "ten", "eleven", "twelve"),
            "game_event", List.of("game", "match", "quiz", "race", "contest", "final"));

    /** Class-specific templates of angry (24). */
    static final List<String> ANGRY = List.of(
            "I am sick and tired of waiting for {person} every single {day}.",
            "How many times do I have to tell you to put the {object} back?",
            "Get out of my {place} right now.",
            "This is absolutely ridiculous, you broke the {object} again.",
            "Don't you dare touch my {object} ever again.",
            "You never listen to a word I say about the {event}.",
            "I am furious that {person} lied to me about the {event}.",
            "Stop wasting my time with this stupid {object}.",
            "Who gave you the right to go through my {object}?",
            "I have had enough of your excuses about the {event}.",
            "You lied to my face about {activity}.",
            "This is unacceptable, I want the {object} fixed today.",
            "Why on earth did you tell {person} about the {event}?",
            "I hate it when you leave the {object} in the {place}.",
            "Shut up and listen to me for once.",
            "You ruined the whole {event} and you don't even care.",
            "I swear, if you are late to the {event} again, we are done.",
            "That was the most selfish thing you have ever done.",
            "Don't you ever talk to {person} like that again.",
            "I am so angry I can't even look at you right now.",
            "You had one job and you messed it up completely.",
            "Give me back my {object} this instant.",
            "I demand to speak to the manager of this {place}.",
            "Are you kidding me, you threw away my {object}?");

    /** Class-specific templates of happy (24). */
    static final List<String> HAPPY = List.of(
            "I am so happy you came to the {event}.",
            "This is the best {day} of my whole life.",
            "We won, we actually won the {game_event}!",
            "I love the {object} you gave me, thank you so much.",
            "What a wonderful surprise to see you at the {place}.",
            "I can't wait to go to the {place} with {person}.",
            "Congratulations, you totally deserve it.",
            "That was the most fun I have had in years.",
            "I'm thrilled that {person} is coming on {day}.",
            "You make me laugh every time we talk about {activity}.",
            "Oh, this {object} is absolutely perfect, I adore it.",
            "We are getting married in the spring and I couldn't be happier.",
            "It's great to finally have some good news about the {event}.",
            "Yay, the {event} is finally here!",
            "I'm so proud of you for {activity}.",
            "Everything turned out beautifully, I'm delighted.",
            "Thank you, this means the world to me.",
            "Let's celebrate tonight at the {place}!",
            "I feel fantastic, like I could dance all night long.",
            "What a lovely idea, {person} will be overjoyed.",
            "I got the best present ever for the {event}.",
            "Hooray, we finally bought the {object}!",
            "Seeing you at the {place} made my whole week.",
            "This is amazing, I'm grinning from ear to ear.");

    /** Class-specific templates of sad (24). */
    static final List<String> SAD = List.of(
            "I miss {person} so much it hurts.",
            "Nobody came to my {event} this year.",
            "I feel so lonely since {person} moved away.",
            "I'm sorry, I just can't stop crying.",
            "Everything reminds me of the days at the {place}.",
            "I lost my grandmother's {object} and I will never get it back.",
            "It's hopeless, nothing I do ever works out.",
            "I wish I could go back to the {place} one more time.",
            "My heart is broken and I don't know what to do.",
            "She passed away on {day} and I never said goodbye.",
            "I feel empty, like nothing matters anymore.",
            "We used to go to the {place} together before the accident.",
            "I'm so tired of being alone every {day}.",
            "It hurts to think about the {event} now.",
            "I failed again, I'm such a disappointment.",
            "Our old dog died last {day}.",
            "I don't think {person} will ever forgive me.",
            "All my friends have forgotten about me.",
            "I keep looking at the {object} and feeling miserable.",
            "There's no point in going to the {event} without her.",
            "I'm heartbroken that the {place} closed down forever.",
            "I never got the chance to tell {person} how much I cared.",
            "Sadly, it's over, and it's all my fault.",
            "I feel so gloomy and sad today.");

    /** Class-specific templates of neutral (24). */
    static final List<String> NEUTRAL = List.of(
            "The meeting is scheduled for {number} o'clock on {day}.",
            "Please fill out the form and leave it at the front desk.",
            "Your appointment has been moved to {day} morning.",
            "The {place} opens at nine and closes at five.",
            "You need to bring two forms of identification.",
            "The train to the airport leaves from platform {number}.",
            "I will send you the report by the end of the week.",
            "The package should arrive on {day} afternoon.",
            "Please remember to sign the second page of the contract.",
            "The {object} is on the shelf next to the door.",
            "According to the schedule, the next bus comes in ten minutes.",
            "We need to update the address on the account.",
            "The form asks for your date of birth and your phone number.",
            "The {place} will be closed on {day} for maintenance.",
            "Let me check the calendar and get back to you.",
            "The instructions are printed on the back of the box.",
            "Turn left at the second light and the {place} is on the right.",
            "The fee is {number} dollars, payable by card or cash.",
            "I need the invoice number for the records.",
            "Standard delivery takes three to five business days.",
            "The application must be submitted before {day}.",
            "Your reference number is printed at the top of the letter.",
            "The parking lot is behind the {place}.",
            "Please hold while I transfer your call.");

    /** Valence-shared "negative" templates, used by angry and sad (14). */
    static final List<String> NEGATIVE = List.of(
            "I can't believe you left without saying anything.",
            "Nobody told me the {event} was cancelled.",
            "Why does this always happen to me?",
            "You forgot about my {event} again.",
            "I lost my {object} on the way to the {place}.",
            "They gave my job to {person}.",
            "You promised you would be there, and you weren't.",
            "I waited at the {place} for three hours.",
            "After everything I did, this is how it ends.",
            "The {event} was a complete disaster.",
            "I told you this would happen.",
            "So that's it, you're just leaving?",
            "{Person} didn't even call me on my birthday.",
            "Nothing ever goes right for me.");

    /** Valence-shared "news" templates, used by happy and neutral (14). */
    static final List<String> NEWS = List.of(
            "We are moving to a new {place} next month.",
            "The results came in this morning.",
            "I got the job at the {place}.",
            "{Person} is visiting us on {day}.",
            "We finished painting the {place} today.",
            "The {event} went exactly as planned.",
            "My sister had her baby last night.",
            "We're going to the {place} this weekend.",
            "I passed the driving test.",
            "They offered me the position on {day}.",
            "The {object} arrived this afternoon.",
            "We're having dinner with {person} tonight.",
            "The weather is supposed to be sunny all week.",
            "I just booked the tickets for the {event}.");

    /** Ambiguous templates, used by all four classes (24). */
    static final List<String> AMBIGUOUS = List.of(
            "Yes, I did quite a lot.",
            "I talked to {person} about it yesterday.",
            "Okay, so what happens now?",
            "We took the train to the {place} on {day}.",
            "It was about {number} o'clock when she called.",
            "Well, that's what he said.",
            "I'll be there in {number} minutes.",
            "Do you know where the {object} is?",
            "She said she would think about it.",
            "I've been at the {place} all day.",
            "Let's talk about it later.",
            "Really? Are you sure about that?",
            "{Person} is bringing the {object} on {day}.",
            "You know what I mean.",
            "That's what I wanted to tell you.",
            "We need to talk about the {event}.",
            "I saw {person} at the {place} this morning.",
            "So, this is the {object} you were talking about.",
            "I don't know, you tell me.",
            "It's been a long time since the {event}.",
            "Look at this.",
            "Did you hear what {person} did?",
            "Right, I'll call {person} after lunch.",
            "Then we went back to the {place} and waited.");

    private static final Pattern SLOT = Pattern.compile("\\{([A-Za-z_]+)}");

    /** The template list of a text type for an emotion, and the name meta.tsv gives it. */
    record Templates(String name, List<String> list) {}

    static Templates templates(TextType type, Emotion e) {
        return switch (type) {
            case SPECIFIC -> switch (e) {
                case ANGRY -> new Templates("angry", ANGRY);
                case HAPPY -> new Templates("happy", HAPPY);
                case SAD -> new Templates("sad", SAD);
                case NEUTRAL -> new Templates("neutral", NEUTRAL);
            };
            case VALENCE -> e == Emotion.ANGRY || e == Emotion.SAD ? new Templates("negative", NEGATIVE) : new Templates("news", NEWS);
            case AMBIGUOUS -> new Templates("ambiguous", AMBIGUOUS);
        };
    }

    /** The template with each slot replaced by a filler drawn from {@code draws}, left to right. */
    static String fill(String template, Draws draws) {
        Matcher m = SLOT.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String slot = m.group(1);
            List<String> fillers = FILLERS.get(slot.toLowerCase(Locale.ROOT));
            if (fillers == null) throw new IllegalStateException("template '" + template + "' has an unknown slot " + slot);
            String f = fillers.get(draws.index(fillers.size()));
            if (Character.isUpperCase(slot.charAt(0))) f = Character.toUpperCase(f.charAt(0)) + f.substring(1);
            m.appendReplacement(out, Matcher.quoteReplacement(f));
        }
        m.appendTail(out);
        return out.toString();
    }
}
