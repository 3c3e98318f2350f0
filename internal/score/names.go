package score

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// affixWords are removed from either end of a place name (repeatedly) after
// lower-casing and accent and punctuation removal. "de" and "del" are also
// dropped anywhere in the name.
var affixWords = map[string]bool{
	"state": true, "province": true, "provincia": true, "municipality": true, "municipio": true,
	"district": true, "governorate": true, "governate": true, "department": true,
	"departamento": true, "region": true, "county": true, "estado": true, "de": true,
	"del": true, "of": true, "the": true, "agency": true, "city": true, "ciudad": true,
	"town": true, "village": true, "valley": true, "area": true, "tehsil": true, "cd": true,
	// The Arabic article as transliterated in the gold data and in news.
	"al": true, "ad": true, "adh": true, "an": true, "ar": true, "as": true, "ash": true,
	"at": true, "ath": true, "az": true,
}

// isInfix reports whether a token is dropped wherever it occurs.
func isInfix(t string) bool { return t == "de" || t == "del" }

// aliasGroups lists spellings of one place; all map to one key. They are
// normalised with the same function as the compared values, and matching
// ignores spaces, so "Datta Khel" = "Dattakhel" needs no entry.
var aliasGroups = [][]string{
	// Mexico, states.
	{"Ciudad de México", "Mexico City", "Distrito Federal", "CDMX", "DF", "D.F.",
		"México D.F.", "Ciudad de México D.F."},
	{"México", "Estado de México", "State of Mexico", "Mexico State", "Edomex",
		"Edo. de México", "Edo. Méx.", "Edo Mex"},
	{"Veracruz", "Veracruz de Ignacio de la Llave", "Veracruz-Llave"},
	{"Michoacán", "Michoacán de Ocampo"},
	{"Coahuila", "Coahuila de Zaragoza"},
	{"Querétaro", "Querétaro de Arteaga"},
	// Mexico, municipalities: official long name = common short name.
	{"Acapulco de Juárez", "Acapulco"},
	{"Chilpancingo de los Bravo", "Chilpancingo", "Chilpancingo de los Bravos"},
	{"Iguala de la Independencia", "Iguala"},
	{"Juárez", "Ciudad Juárez", "Cd. Juárez", "Cd Juárez"},
	{"San Pedro Tlaquepaque", "Tlaquepaque"},
	{"Tlajomulco de Zúñiga", "Tlajomulco"},
	{"General Escobedo", "Escobedo", "Gral. Escobedo"},
	{"Culiacán", "Culiacán Rosales"},
	{"Campeche", "San Francisco de Campeche"},
	{"León", "León de los Aldama"},
	{"San Nicolás de los Garza", "San Nicolás"},
	{"San Pedro Garza García", "Garza García"},
	{"Cadereyta Jiménez", "Cadereyta"},
	{"Chilapa de Álvarez", "Chilapa"},
	{"Taxco de Alarcón", "Taxco"},
	{"Zihuatanejo de Azueta", "Zihuatanejo"},
	{"Hidalgo del Parral", "Parral"},
	{"Poza Rica de Hidalgo", "Poza Rica"},
	{"Oaxaca de Juárez", "Oaxaca"},
	{"Tlalnepantla de Baz", "Tlalnepantla"},
	{"Playas de Rosarito", "Rosarito"},
	{"San Cristóbal de las Casas", "San Cristobal De Casas"},
	{"Hidalgotitlán", "Hidalgotitlánal"},
	{"Santa Cruz de Juventino Rosas", "Juventino Rosas"},
	{"Nochistlán de Mejía", "Nochistlán"},
	{"Tepecoacuilco de Trujano", "Tepecoacuilco"},
	{"Huitzuco de los Figueroa", "Huitzuco"},
	{"Tixtla de Guerrero", "Tixtla"},
	{"Tlaltizapán de Zapata", "Tlaltizapán"},
	{"Villa de Tututepec de Melchor Ocampo", "Villa de Tututepec", "Tututepec"},
	{"Cuetzala del Progreso", "Cuetzala"},
	{"Alcozauca de Guerrero", "Alcozauca"},
	{"Ecatepec de Morelos", "Ecatepec"},
	{"Atizapán de Zaragoza", "Atizapán"},
	{"Pachuca de Soto", "Pachuca"},
	{"Huejutla de Reyes", "Huejutla"},
	{"Tecpan de Galeana", "Tecpan"},
	{"Juchitán de Zaragoza", "Juchitán"},
	{"Santo Domingo Tehuantepec", "Tehuantepec"},
	{"San Juan Bautista Tuxtepec", "Tuxtepec"},
	{"Tepeji del Río de Ocampo", "Tepeji del Río", "Tepeji"},
	{"Coalcomán de Vázquez Pallares", "Coalcomán"},
	{"Heroica Nogales", "Nogales"},
	{"Heroica Caborca", "Caborca"},
	{"Heroica Matamoros", "Matamoros"},
	{"Heroica Puebla de Zaragoza", "Puebla"},
	// Pakistan.
	{"Khyber Pakhtunkhwa", "KPK", "KP", "NWFP", "North-West Frontier Province",
		"North West Frontier", "Khyber Pukhtunkhwa", "Pakhtunkhwa"},
	{"Federally Administered Tribal Areas", "FATA", "Tribal Areas",
		"Federally Administered Tribal Area"},
	{"Balochistan", "Baluchistan", "Balochistan Province"},
	{"Sindh", "Sind"},
	{"Islamabad Capital Territory", "Federal Capital Territory", "Islamabad", "ICT"},
	{"Azad Jammu and Kashmir", "Azad Kashmir", "AJK", "Azad Jammu & Kashmir",
		"Pakistan-administered Kashmir"},
	{"Gilgit-Baltistan", "Northern Areas"},
	{"North Waziristan", "N. Waziristan", "N Waziristan", "NWA", "Shimali Waziristan"},
	{"South Waziristan", "S. Waziristan", "S Waziristan", "SWA", "Janubi Waziristan"},
	{"Mohmand", "Momand"},
	{"Bajaur", "Bajour"},
	{"Kohat", "Khoat"},
	{"Gujranwala", "Gunjranwala"},
	{"Nasirabad", "Naseerabad"},
	{"Jafarabad", "Jaffarabad"},
	{"Killa Abdullah", "Qila Abdullah", "Qilla Abdullah"},
	{"Dera Ismail Khan", "D.I. Khan", "DI Khan", "D I Khan"},
	{"Dera Ghazi Khan", "D.G. Khan", "DG Khan", "D G Khan"},
	{"Shaheed Benazirabad", "Nawabshah", "Shaheed Benazir Abad", "Benazirabad"},
	{"Bannu Frontier", "FR Bannu", "Frontier Region Bannu"},
	{"Bhimber", "Bhimbar"},
	{"Miranshah", "Miramshah", "Miran Shah"},
	{"Datta Khel", "Datta Khail", "Dattakhail"},
	{"Shawal", "Shahwal"},
	{"Spinwam", "Spin Wam", "Spinwan"},
	{"Makeen", "Makin"},
	{"Angoor Adda", "Angor Adda", "Angur Adda"},
	{"Damadola", "Damdola"},
	// Yemen.
	{"Ad Dali", "Dali", "Dhale", "Dhalea", "Dhalee", "Dhala", "Dhaleh", "Daleh", "Dhale'e"},
	{"Al Hudaydah", "Hudaydah", "Hodeidah", "Hodeida", "Hudaida", "Hudayda", "Hodaidah"},
	{"Hadramawt", "Hadramaut", "Hadhramaut", "Hadramout", "Hadhramawt", "Hadhramout",
		"Hadrmout"},
	{"Sadah", "Saada", "Saadah", "Sa'dah", "Sa'ada", "Saddah"},
	{"Taizz", "Taiz", "Ta'izz", "Ta'iz", "Taez"},
	{"Marib", "Ma'rib", "Mareb", "Maarib"},
	{"Shabwah", "Shabwa", "Shabua", "Shebwa"},
	{"Al Bayda", "Bayda", "Baydha", "Bayda'", "Beida", "Baida", "Baidha", "Al Baydha"},
	{"Sanaa", "Sana'a", "Sana", "Sanaa Province"},
	{"Amanat al Asimah", "Amanat Al-Asimah", "Amanat Al Asemah", "Sanaa City",
		"Sana'a City", "Capital Secretariat"},
	{"Lahij", "Lahj", "Lahej"},
	{"Al Mahrah", "Mahrah", "Maharah", "Mahra"},
	{"Dhamar", "Dhammar", "Thamar"},
	{"Al Jawf", "Jawf", "Jouf", "Al Jouf"},
	{"Suqutra", "Socotra", "Soqotra", "Suqatra"},
	{"Aden", "Adan"},
	{"Hajjah", "Hajja"},
	{"Amran", "Omran"},
	{"Raymah", "Rayma"},
	{"Mahwit", "Al Mahwit"},
	{"Zinjibar", "Zingibar"},
	{"Jaar", "Ja'ar"},
	{"Azzan", "Azan"},
	{"Radaa", "Rada'a", "Rada", "Rada'", "Radda"},
	{"Lawdar", "Lawder", "Loder", "Lauder"},
	{"Mudiyah", "Mudia", "Mudiya", "Modya"},
	{"Ataq", "Attaq"},
	{"Mahfad", "Mahfid", "Mihfed"},
	{"Wadi Abida", "Wadi Abeeda", "Wadi Abidah"},
	{"Sawmaah", "Sawma'ah", "Sawmaa"},
	{"Mukalla", "Al Mukalla", "Al Mukalla City"},
	// Somalia.
	{"Banadir", "Banaadir", "Benadir"},
	{"Lower Juba", "Jubbada Hoose", "Lower Jubba", "Juba Hoose"},
	{"Middle Juba", "Jubbada Dhexe", "Middle Jubba"},
	{"Lower Shabelle", "Shabeellaha Hoose", "Lower Shabeelle", "Lower Shabele"},
	{"Middle Shabelle", "Shabeellaha Dhexe", "Middle Shabeelle", "Middle Shabele"},
	{"Hiraan", "Hiiraan", "Hiran"},
	{"Galgaduud", "Galguduud", "Galgadud"},
	{"Bakool", "Bakol"},
	{"Nugaal", "Nugal"},
	{"Woqooyi Galbeed", "Waqooyi Galbeed", "Maroodi Jeex"},
	{"Kismaayo", "Kismayo", "Kismayu", "Chisimaio"},
	{"Baydhaba", "Baidoa", "Baydhabo"},
	{"Belet Weyne", "Beledweyne", "Beletweyne", "Beled Weyne", "Belet Uen"},
	{"Afgooye", "Afgoye", "Afgoi"},
	{"Marka", "Merca", "Merka"},
	{"Jowhar", "Jawhar"},
	{"Gaalkacyo", "Galkayo", "Galkacyo"},
	{"Bossaso", "Bosaso", "Boosaaso"},
	{"Hargeysa", "Hargeisa"},
	{"Burco", "Burao"},
	{"Mogadishu", "Muqdisho", "Mogadiscio", "Mogadishu City"},
	{"Jamaame", "Jamame"},
	{"Qoryooley", "Qoryoley"},
	{"Balcad", "Balad"},
	{"Bu'aale", "Buale", "Bu'ale"},
	{"Dhuusamarreeb", "Dhusamareb", "Dusmareb"},
	{"Diinsoor", "Dinsor", "Dinsoor"},
	{"Saakow", "Sakow"},
	{"Bulo Burto", "Bulo Burde", "Buloburde", "Bulobarde"},
	{"Wanla Weyn", "Wanlaweyn", "Wanlaweyne"},
	{"Ceel Buur", "El Bur", "Elbur"},
	{"Cabudwaaq", "Abudwak"},
	{"Cadale", "Adale"},
	{"Afmadow", "Afmadu"},
	{"Buur Hakaba", "Bur Hakaba", "Burhakaba"},
	{"Baardheere", "Bardera", "Bardhere"},
	{"Baraawe", "Barawe", "Brava"},
	// Venezuela, Colombia.
	{"Distrito Capital", "Capital District"},
	{"Vargas", "La Guaira"},
	{"Bogotá", "Bogota, D.C.", "Bogotá D.C.", "Bogota DC", "Distrito Capital de Bogotá",
		"Santafe de Bogota"},
	{"La Guajira", "Guajira"},
	{"Valle del Cauca", "Valle"},
}

// apostrophes are deleted from names rather than turned into spaces, so
// that "Sa'dah" = "Sadah" and "Cd." = "Cd".
const apostrophes = "'\u2019\u2018`\u00b4\u02bc\u02bb."

// tokens lower-cases a name, strips its accents, deletes apostrophes and
// periods, turns other punctuation into spaces and splits it into words,
// dropping "de" and "del" unless nothing else is left.
func tokens(name string) []string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(name) {
		if isCombining(r) {
			continue
		}
		b.WriteRune(r)
	}
	s := strings.ToLower(b.String())
	s = strings.ReplaceAll(s, "&", " and ")
	b.Reset()
	for _, r := range s {
		switch {
		case strings.ContainsRune(apostrophes, r):
		case isWordRune(r) && r != '_':
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	toks := strings.Fields(b.String())
	var kept []string
	for _, t := range toks {
		if !isInfix(t) {
			kept = append(kept, t)
		}
	}
	if len(kept) == 0 {
		return toks
	}
	return kept
}

// isCombining reports whether r has a non-zero canonical combining class.
func isCombining(r rune) bool {
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	return norm.NFD.Properties(buf[:n]).CCC() != 0
}

// isWordRune reports whether r is a regular-expression word character in
// the Unicode sense: a letter, a number or the underscore.
func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r)
}

// aliasTable maps the joined tokens of every alias to the key of its group.
type aliasTable map[string]string

// buildAliases returns the alias table; it fails if a spelling is in two groups.
func buildAliases(groups [][]string) (aliasTable, error) {
	t := make(aliasTable)
	for _, g := range groups {
		key := "@" + strings.Join(tokens(g[0]), "")
		for _, m := range g {
			j := strings.Join(tokens(m), "")
			if k, ok := t[j]; ok && k != key {
				return nil, &aliasError{member: m}
			}
			t[j] = key
		}
	}
	return t, nil
}

// aliasError reports a spelling listed in two alias groups.
type aliasError struct{ member string }

func (e *aliasError) Error() string { return "score: alias " + e.member + " is in two groups" }

// aliases is the alias table built once from aliasGroups; it is never
// modified after initialisation.
var aliases = func() aliasTable {
	t, err := buildAliases(aliasGroups)
	if err != nil {
		panic(err)
	}
	return t
}()

// NameKey returns the comparison key of a place name, or "" for a name
// without letters or digits. Two names match when their keys are equal: case,
// accents, punctuation, spaces, "de"/"del", administrative words at either
// end ("state", "municipio", "governorate", the Arabic article …) and known
// alternative spellings do not count.
func NameKey(name string) string {
	toks := tokens(name)
	if len(toks) == 0 {
		return ""
	}
	for {
		joined := strings.Join(toks, "")
		if k, ok := aliases[joined]; ok {
			return k
		}
		switch {
		case len(toks) > 1 && affixWords[toks[len(toks)-1]]:
			toks = toks[:len(toks)-1]
		case len(toks) > 1 && affixWords[toks[0]]:
			toks = toks[1:]
		default:
			return joined
		}
	}
}

// articles are the Arabic articles that a hyphen joins to the next word
// ("Mafraq al-Saeed"); such a hyphen does not split a compound name.
var articles = []string{"al", "el", "ad", "adh", "an", "ar", "as", "ash", "at", "ath", "az"}

// joinArticles replaces the hyphen after a standalone Arabic article by a space.
func joinArticles(s string) string {
	var b strings.Builder
	prevWord := false // whether the rune before i is a word rune
	for i := 0; i < len(s); {
		if !prevWord {
			matched := false
			for _, a := range articles {
				if len(s)-i > len(a) && strings.EqualFold(s[i:i+len(a)], a) && s[i+len(a)] == '-' {
					b.WriteString(s[i : i+len(a)])
					b.WriteByte(' ')
					i += len(a) + 1
					prevWord = false
					matched = true
					break
				}
			}
			if matched {
				continue
			}
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		b.WriteString(s[i : i+n])
		prevWord = isWordRune(r)
		i += n
	}
	return b.String()
}

// splitCompound splits a gold place name at commas, slashes, semicolons,
// hyphens and the words "or", "and", "near" and "area of".
func splitCompound(s string) []string {
	var parts []string
	start := 0
	for i := 0; i < len(s); {
		if n := splitAt(s, i); n > 0 {
			parts = append(parts, s[start:i])
			i += n
			start = i
			continue
		}
		_, n := utf8.DecodeRuneInString(s[i:])
		i += n
	}
	return append(parts, s[start:])
}

// splitAt returns the length of the separator starting at byte i of s, or 0.
func splitAt(s string, i int) int {
	if strings.IndexByte(",/;-", s[i]) >= 0 {
		return 1
	}
	if n := spaceRun(s, i); n > 0 {
		j := i + n
		for _, w := range []string{"or", "and", "near"} {
			if len(s)-j >= len(w) && strings.EqualFold(s[j:j+len(w)], w) {
				if m := spaceRun(s, j+len(w)); m > 0 {
					return n + len(w) + m
				}
			}
		}
	}
	for _, w := range []string{"area of", "near"} {
		if len(s)-i >= len(w) && strings.EqualFold(s[i:i+len(w)], w) &&
			!wordBefore(s, i) && !wordAt(s, i+len(w)) {
			return len(w)
		}
	}
	return 0
}

// spaceRun returns the byte length of the run of white space at byte i of s.
func spaceRun(s string, i int) int {
	j := i
	for j < len(s) {
		r, n := utf8.DecodeRuneInString(s[j:])
		if !isSpace(r) {
			break
		}
		j += n
	}
	return j - i
}

// wordBefore reports whether the rune ending at byte i of s is a word rune.
func wordBefore(s string, i int) bool {
	if i == 0 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return isWordRune(r)
}

// wordAt reports whether the rune starting at byte i of s is a word rune.
func wordAt(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return isWordRune(r)
}

// goldNameKeys returns the keys of a gold place name: the whole name plus
// each part of three or more characters of a compound upstream value such as
// "Hassokhel, near Mir Ali", "Jaar and Zinjibar" or "Bogota-Usaquen".
func goldNameKeys(name any) map[string]bool {
	keys := make(map[string]bool)
	if k := NameKey(pyStr(name)); k != "" {
		keys[k] = true
	}
	s, ok := name.(string)
	if !ok {
		return keys
	}
	for _, part := range splitCompound(joinArticles(s)) {
		if k := NameKey(part); k != "" && utf8.RuneCountInString(k) >= 3 {
			keys[k] = true
		}
	}
	return keys
}
