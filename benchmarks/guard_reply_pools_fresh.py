"""A third set of phrasings for the labelled guard replies, written after the rules were frozen.

The ``test`` split of ``guard_reply_pools.py`` was read while the rules were revised once (see
docs/data/guard-replies.md); these phrasings were written afterwards and never run against the
guard before their figures were recorded. Same placeholders and pool names as the main pools;
greetings, posts and signature frames are taken from there.
"""

from __future__ import annotations

FRESH: dict[str, dict[str, list[str]]] = {}

FRESH["pl"] = {
    "apology": [
        "Przepraszamy, że paczka utknęła w drodze.",
        "Bardzo nam przykro z powodu tej pomyłki.",
        "Przepraszam Cię za ten bałagan z fakturą.",
        "Szczerze przepraszamy za nieprzyjemną sytuację w sklepie.",
        "Wstyd nam za to opóźnienie, przepraszamy.",
    ],
    "no_apology": [
        "Dzięki za sygnał.",
        "Nie ma tu czego przepraszać, działaliśmy zgodnie z zasadami.",
        "Rozumiemy, że czekanie jest męczące.",
        "Otrzymaliśmy Twoją wiadomość.",
    ],
    "blame": [
        "Gdyby Pani sprawdziła skrzynkę, zobaczyłaby Pani maila.",
        "Wybrał Pan zły terminal na lotnisku.",
        "Zgodnie z regulaminem, który Pan zaakceptował, opłata jest należna.",
        "To wina klienta, że karta była zablokowana.",
        "Należało zgłosić usterkę od razu po odbiorze.",
    ],
    "no_blame": [
        "Regulamin pozwala na zmianę terminu raz bez opłat.",
        "Wszystko wskazuje na błąd po naszej stronie.",
        "Adres był poprawny, zawinił magazyn.",
    ],
    "boilerplate": [
        "Państwa satysfakcja jest dla nas najważniejsza.",
        "Nieustannie doskonalimy nasze procesy.",
        "Każda opinia jest dla nas cenna.",
        "Bezpieczeństwo klientów jest zawsze na pierwszym miejscu.",
        "Przepraszamy za zaistniałe utrudnienia.",
    ],
    "answer": [
        "Bagaż podręczny może ważyć do 8 kg.",
        "Faktura jest dostępna w zakładce Zamówienia.",
        "Promocja nie łączy się z kartą stałego klienta.",
        "Awaria dotyczyła tylko płatności kartą.",
    ],
    "next_step": [
        "Wyślemy nową kartę jeszcze dziś, dotrze w ciągu 3 dni.",
        "Zwróciliśmy 49 zł na Twoje konto.",
        "Sprawdzę status u przewoźnika i napiszę do Ciebie po 15.",
        "Technik zadzwoni do Pani jutro przed 10.",
        "Podeślij zdjęcie paragonu, a od razu przyjmiemy reklamację.",
        "Zarezerwowaliśmy dla Pana miejsce w hotelu przy lotnisku.",
    ],
    "vague": [
        "Mamy nadzieję, że się wyjaśni.",
        "Dziękujemy za wyrozumiałość.",
        "Jesteśmy do dyspozycji.",
        "Przykra sprawa, zdarza się.",
    ],
    "redirect_phone": [
        "Zadzwoń proszę na naszą infolinię: {num}.",
        "Prosimy o telefon pod {num}.",
        "Najlepiej skontaktować się telefonicznie z biurem obsługi klienta.",
    ],
    "redirect_email": [
        "Prześlij proszę zdjęcia na {mail}.",
        "Napisz maila do działu obsługi.",
        "Czekamy na wiadomość mailową.",
    ],
    "redirect_chat": [
        "Napisz do konsultanta na czacie w aplikacji.",
        "Wejdź na czat na stronie, tam pomogą.",
        "Skontaktuj się przez czat na żywo.",
    ],
    "redirect_form": [
        "Prosimy o zgłoszenie przez formularz na stronie.",
        "Uzupełnij formularz reklamacji online.",
        "Wyślij zgłoszenie formularzem kontaktowym.",
    ],
    "redirect_dm": [
        "Napisz do nas w wiadomości prywatnej.",
        "Odezwij się na priv z numerem rezerwacji.",
        "Wyślij nam PW.",
    ],
    "redirect_url": [
        "Regulamin znajdziesz tu: {url}",
        "Formularz i instrukcja: {url}",
        "Więcej informacji: {url}.",
    ],
    "redirect_other_team": [
        "W tej sprawie prosimy kontaktować się z producentem.",
        "Proszę zwrócić się do sprzedawcy, u którego kupiono towar.",
        "Tym zajmuje się dział rozliczeń, prosimy o kontakt z nimi.",
    ],
    "redirect_cant_help": [
        "Niestety nie możemy nic zrobić.",
        "Ta sprawa jest poza naszymi możliwościami.",
        "Na Facebooku nie obsługujemy reklamacji.",
    ],
    "closer": ["Do zobaczenia!", "Miłego popołudnia!", "Dziękujemy za kontakt"],
    "tail": ["Zespół Obsługi {brand}", "Dobrego dnia", "Nr sprawy: {ref}", "Biuro Obsługi Klienta"],
}

FRESH["it"] = {
    "apology": [
        "Ci scusiamo per il pacco rimasto bloccato.",
        "Siamo davvero dispiaciuti per l'errore.",
        "Scusami per il caos con la fattura.",
        "Ci scusiamo sinceramente per quanto successo in negozio.",
        "Mi dispiace per il ritardo, non è accettabile.",
    ],
    "no_apology": [
        "Grazie della segnalazione.",
        "Non c'è nulla di cui scusarci, abbiamo seguito le regole.",
        "Capiamo che l'attesa sia pesante.",
        "Abbiamo ricevuto il tuo messaggio.",
    ],
    "blame": [
        "Se avesse controllato la posta, avrebbe visto la mail.",
        "Ha scelto il terminal sbagliato.",
        "Secondo le condizioni che ha accettato, il costo è dovuto.",
        "La colpa è tua, la carta era bloccata.",
        "Il guasto andava segnalato subito alla consegna.",
    ],
    "no_blame": [
        "Le condizioni permettono un cambio data gratuito.",
        "Tutto indica un errore da parte nostra.",
        "L'indirizzo era giusto, ha sbagliato il magazzino.",
    ],
    "boilerplate": [
        "La tua soddisfazione è la cosa più importante per noi.",
        "Miglioriamo continuamente i nostri processi.",
        "Ogni opinione per noi è preziosa.",
        "La sicurezza dei clienti viene sempre prima di tutto.",
        "Ci scusiamo per eventuali inconvenienti.",
    ],
    "answer": [
        "Il bagaglio a mano può pesare fino a 8 kg.",
        "La fattura si trova nella sezione Ordini.",
        "La promozione non è cumulabile con la carta fedeltà.",
        "Il guasto riguardava solo i pagamenti con carta.",
    ],
    "next_step": [
        "Spediamo oggi una nuova carta, arriva entro 3 giorni.",
        "Ti abbiamo rimborsato 49 euro.",
        "Controllo lo stato con il vettore e ti scrivo dopo le 15.",
        "Il tecnico la chiamerà domani prima delle 10.",
        "Mandaci la foto dello scontrino e apriamo subito il reclamo.",
        "Le abbiamo prenotato una camera nell'hotel dell'aeroporto.",
    ],
    "vague": [
        "Speriamo che si risolva.",
        "Grazie per la tua pazienza e comprensione.",
        "Siamo qui per te.",
        "Peccato, capita.",
    ],
    "redirect_phone": [
        "Chiama il nostro servizio clienti al {num}.",
        "Ti chiediamo una telefonata al {num}.",
        "Meglio contattare telefonicamente l'assistenza.",
    ],
    "redirect_email": [
        "Invia le foto a {mail}.",
        "Scrivi una mail all'assistenza clienti.",
        "Attendiamo una tua email.",
    ],
    "redirect_chat": [
        "Scrivi a un operatore nella chat dell'app.",
        "Entra nella chat sul sito, lì ti aiutano.",
        "Contattaci con la chat dal vivo.",
    ],
    "redirect_form": [
        "Ti chiediamo di segnalarlo con il modulo sul sito.",
        "Compila il modulo reclami online.",
        "Invia la richiesta con il modulo di contatto.",
    ],
    "redirect_dm": [
        "Scrivici con un messaggio privato.",
        "Mandaci un DM con il codice prenotazione.",
        "Contattaci in privato.",
    ],
    "redirect_url": [
        "Le condizioni sono qui: {url}",
        "Modulo e istruzioni: {url}",
        "Altre informazioni: {url}.",
    ],
    "redirect_other_team": [
        "Per questo ti chiediamo di contattare il produttore.",
        "Rivolgiti al venditore da cui hai acquistato.",
        "Se ne occupa l'ufficio fatturazione, contatta loro.",
    ],
    "redirect_cant_help": [
        "Purtroppo non possiamo fare nulla.",
        "La questione va oltre le nostre possibilità.",
        "Su Facebook non gestiamo i reclami.",
    ],
    "closer": ["Alla prossima!", "Buon pomeriggio!", "Grazie per averci contattato"],
    "tail": [
        "Assistenza Clienti {brand}",
        "Buona giornata",
        "Pratica n. {ref}",
        "Ufficio Assistenza",
    ],
}

FRESH["en"] = {
    "apology": [
        "Sorry your parcel got stuck in transit.",
        "We're really sorry for this mistake.",
        "Apologies for the muddle with your invoice.",
        "We sincerely apologise for what happened in store.",
        "I'm sorry for the delay, it isn't good enough.",
    ],
    "no_apology": [
        "Thanks for the heads-up.",
        "There's nothing for us to apologise for, we followed the rules.",
        "We get that waiting is tiring.",
        "We've received your message.",
    ],
    "blame": [
        "If you had checked your inbox, you would have seen the email.",
        "You went to the wrong terminal.",
        "Under the terms you accepted, the fee is due.",
        "It's your fault the card was blocked.",
        "The fault should have been reported on delivery.",
    ],
    "no_blame": [
        "Our terms allow one free date change.",
        "Everything points to an error on our side.",
        "The address was right, our warehouse got it wrong.",
    ],
    "boilerplate": [
        "Your satisfaction matters most to us.",
        "We continuously improve our processes.",
        "Every piece of feedback is valuable to us.",
        "Customer safety always comes first.",
        "We apologise for any disruption.",
    ],
    "answer": [
        "Cabin bags can weigh up to 8 kg.",
        "Your invoice is under Orders in your account.",
        "The offer can't be combined with the loyalty card.",
        "The fault only affected card payments.",
    ],
    "next_step": [
        "We're sending a new card today and it'll arrive within 3 days.",
        "We've refunded £49 to your account.",
        "I'll check the status with the carrier and message you after 3 pm.",
        "The technician will phone you tomorrow before 10.",
        "Send us a photo of the receipt and we'll open the claim right away.",
        "We've booked you a room at the airport hotel.",
    ],
    "vague": [
        "Hopefully it gets sorted.",
        "Thanks for bearing with us.",
        "We're here for you.",
        "Shame, these things happen.",
    ],
    "redirect_phone": [
        "Call our customer service on {num}.",
        "Please give us a ring on {num}.",
        "Best to contact the support desk by phone.",
    ],
    "redirect_email": [
        "Send the photos to {mail}.",
        "Write an email to our customer care team.",
        "We'll wait for your email.",
    ],
    "redirect_chat": [
        "Message an agent in the app chat.",
        "Hop on the chat on our website, they'll help.",
        "Reach us on live chat.",
    ],
    "redirect_form": [
        "Please report it via the form on our site.",
        "Complete the online complaints form.",
        "Send the request through our contact form.",
    ],
    "redirect_dm": [
        "Send us a direct message.",
        "DM us your booking reference.",
        "Message us privately.",
    ],
    "redirect_url": [
        "The terms are here: {url}",
        "Form and instructions: {url}",
        "More info: {url}.",
    ],
    "redirect_other_team": [
        "For this please contact the manufacturer.",
        "Please speak to the retailer you bought it from.",
        "Our billing department handles this, please contact them.",
    ],
    "redirect_cant_help": [
        "Unfortunately there's nothing we can do.",
        "This is beyond what we can do.",
        "We don't deal with complaints on Facebook.",
    ],
    "closer": ["See you soon!", "Enjoy your afternoon!", "Thanks for getting in touch"],
    "tail": ["{brand} Support Team", "Have a good one", "Case ref: {ref}", "Customer Service Desk"],
}
