package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/testigo-project/testigo"
)

// The interface languages. English text is its own key; Spanish is looked
// up in spanish.
const (
	langEN = "en"
	langES = "es"
)

// langs lists the interface languages, the default first.
var langs = []string{langEN, langES}

// langCookie remembers the language a reader chose with the switch.
const langCookie = "testigo_lang"

// validLang reports whether l is an interface language.
func validLang(l string) bool { return l == langEN || l == langES }

// lang returns the interface language of r: the lang parameter, then the
// cookie the switch set, then the first supported language in
// Accept-Language, then English.
func (h *handler) lang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); validLang(l) {
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil && validLang(c.Value) {
		return c.Value
	}
	return fromAcceptLanguage(r.Header.Get("Accept-Language"))
}

// fromAcceptLanguage picks the supported language with the highest
// quality in an Accept-Language header, English when none is.
func fromAcceptLanguage(header string) string {
	best, bestQ := langEN, -1.0
	for i, part := range strings.Split(header, ",") {
		if i > 20 {
			break
		}
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		if !validLang(base) {
			continue
		}
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if _, err := fmt.Sscanf(v, "%g", &q); err != nil {
				continue
			}
		}
		if q > bestQ {
			best, bestQ = base, q
		}
	}
	return best
}

// rememberLang sets the language cookie when the request chose a language
// with the switch, so that following pages keep it.
func rememberLang(w http.ResponseWriter, r *http.Request) {
	l := r.URL.Query().Get("lang")
	if !validLang(l) {
		return
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: l, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

// message translates an interface text into lang.
func message(lang, s string) string {
	if lang == langES {
		if t, ok := spanish[s]; ok {
			return t
		}
	}
	return s
}

// typeLabel names an event type in lang.
func typeLabel(lang string, t testigo.EventType) string {
	if lang == langES {
		if s, ok := spanishTypes[t]; ok {
			return s
		}
	}
	return strings.ReplaceAll(string(t), "_", " ")
}

var (
	monthsEN = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	monthsES = []string{"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"}
)

// formatDay writes a YYYY-MM-DD date the way readers of lang write it:
// "3 Nov 2025" or "3 nov 2025". Anything else is returned unchanged.
func formatDay(lang, day string) string {
	t, err := time.Parse(testigo.DateLayout, day)
	if err != nil {
		return day
	}
	months := monthsEN
	if lang == langES {
		months = monthsES
	}
	return fmt.Sprintf("%d %s %d", t.Day(), months[t.Month()-1], t.Year())
}

// formatTime writes an instant in UTC with its date in lang's style.
func formatTime(lang string, t time.Time) string {
	if t.IsZero() {
		return message(lang, "unknown")
	}
	t = t.UTC()
	return formatDay(lang, t.Format(testigo.DateLayout)) + " " + t.Format("15:04") + " UTC"
}

// spanish holds the Spanish interface texts, keyed by the English ones.
var spanish = map[string]string{
	"a verifiable record of covert strike campaigns, from public reporting": "un registro verificable de campañas de ataques encubiertos, a partir de información pública",
	"Incidents":                            "Incidentes",
	"Incident":                             "Incidente",
	"Map":                                  "Mapa",
	"API":                                  "API",
	"Review":                               "Revisión",
	"Review queue":                         "Cola de revisión",
	"Sign in":                              "Entrar",
	"Sign out":                             "Salir",
	"Signed in as":                         "Sesión de",
	"Country":                              "País",
	"Type":                                 "Tipo",
	"Grade":                                "Calificación",
	"Actor":                                "Actor",
	"Since":                                "Desde",
	"Until":                                "Hasta",
	"Filter":                               "Filtrar",
	"Clear filters":                        "Quitar filtros",
	"any":                                  "cualquiera",
	"Date":                                 "Fecha",
	"Place":                                "Lugar",
	"Killed":                               "Muertos",
	"Injured":                              "Heridos",
	"Sources":                              "Fuentes",
	"undated":                              "sin fecha",
	"unknown":                              "desconocida",
	"No incidents match.":                  "Ningún incidente coincide.",
	"First page":                           "Primera página",
	"Next page":                            "Página siguiente",
	"incidents on this page, newest first": "incidentes en esta página, los más recientes primero",
	"Timeline":                             "Cronología",
	"Incidents and killed per week":        "Incidentes y muertos por semana",
	"incidents":                            "incidentes",
	"killed (min)":                         "muertos (mín.)",
	"killed (max)":                         "muertos (máx.)",
	"other types":                          "otros tipos",
	"Table of the incidents on the map":    "Tabla de los incidentes del mapa",
	"The map needs JavaScript and WebGL; the table below lists the same incidents.": "El mapa necesita JavaScript y WebGL; la tabla de abajo lista los mismos incidentes.",
	"incidents without coordinates are not on the map but are in the table.":        "incidentes sin coordenadas no están en el mapa pero sí en la tabla.",
	"Map of incidents":                       "Mapa de incidentes",
	"How the figures were derived":           "Cómo se derivaron las cifras",
	"Proof":                                  "Prueba",
	"Reports":                                "Informes",
	"Report":                                 "Informe",
	"From":                                   "De",
	"raw capture":                            "captura original",
	"Evidence quoted from the archived text": "Evidencia citada del texto archivado",
	"Field":                                  "Campo",
	"Quote":                                  "Cita",
	"Who says so":                            "Quién lo dice",
	"Actors":                                 "Actores",
	"Archived text":                          "Texto archivado",
	"Source":                                 "Fuente",
	"Captured":                               "Capturado",
	"Published":                              "Publicado",
	"Language":                               "Idioma",
	"SHA-256 of the raw bytes":               "SHA-256 de los bytes originales",
	"inclusion proof":                        "prueba de inclusión",
	"Reports read from it":                   "Informes leídos de él",
	"none":                                   "ninguno",
	"Highlighted words are the evidence for an extracted field; hover to see which.": "Las palabras resaltadas son la evidencia de un campo extraído; pase el cursor para ver cuál.",
	"Username":                    "Usuario",
	"Password":                    "Contraseña",
	"Reason":                      "Motivo",
	"Accept":                      "Aceptar",
	"Reject":                      "Rechazar",
	"Merge":                       "Fusionar",
	"Split":                       "Dividir",
	"Set grade":                   "Calificar",
	"New incidents":               "Incidentes nuevos",
	"Suggested merges":            "Fusiones sugeridas",
	"No new incidents.":           "No hay incidentes nuevos.",
	"No suggested merges.":        "No hay fusiones sugeridas.",
	"score":                       "puntuación",
	"Keyboard":                    "Teclado",
	"Done.":                       "Hecho.",
	"Version":                     "Versión",
	"Wrong username or password.": "Usuario o contraseña incorrectos.",
	"Too many sign-in attempts; wait a minute and try again.":                                 "Demasiados intentos; espere un minuto y vuelva a intentarlo.",
	"Sign in to review incidents.":                                                            "Entre para revisar incidentes.",
	"Someone else changed this incident since you loaded it. Reload the queue and try again.": "Alguien cambió este incidente desde que lo cargó. Recargue la cola e inténtelo de nuevo.",
	"Español":                         "Español",
	"English":                         "English",
	"latest signed checkpoint":        "último punto de control firmado",
	"inclusion proof of this version": "prueba de inclusión de esta versión",
	"capture":                         "captura",
	"this reading":                    "esta lectura",
	"proofs of the":                   "pruebas de la",
	"and of":                          "y de",
	"Modality":                        "Modalidad",
	"The quoted sentence in the archived text": "La frase citada en el texto archivado",
	"Evidence bundle":                          "Paquete de evidencia",
	"check it offline with":                    "verifíquelo sin conexión con",
	"set by an analyst":                        "fijada por un analista",
	"Changes":                                  "Cambios",
	"When":                                     "Cuándo",
	"Who":                                      "Quién",
	"What":                                     "Qué",
	"Skip to content":                          "Ir al contenido",
	"Back to the incidents":                    "Volver a los incidentes",
	"next/previous item":                       "elemento siguiente/anterior",
	"reason":                                   "motivo",
	"Every action needs a reason.":             "Cada acción necesita un motivo.",
	"Accounts are not enabled on this server.": "Las cuentas no están habilitadas en este servidor.",
	"Places from":            "Lugares de",
	"country outlines from":  "contornos de países de",
	"Documents marked":       "Los documentos marcados",
	"illustrative demo data": "datos de demostración ilustrativos",
	"were written for the demo and are not real reporting.":                                         "se escribieron para la demostración y no son información real.",
	"testigo documents what has been publicly reported; it does not predict or recommend anything.": "testigo documenta lo que se ha publicado; no predice ni recomienda nada.",
	"Site":       "Sitio",
	"Merge into": "Fusionar en",
	"reports":    "informes",
	"Move the checked reports to a new incident": "Mover los informes marcados a un incidente nuevo",
	"Page not found":                       "Página no encontrada",
	"Error":                                "Error",
	"You do not have the role this needs.": "No tiene el rol necesario.",
	"Your session has expired; sign in again.": "Su sesión ha caducado; vuelva a entrar.",
}

// spanishTypes names the event types in Spanish.
var spanishTypes = map[testigo.EventType]string{
	testigo.TypeAirDroneStrike:           "ataque aéreo o con dron",
	testigo.TypeShellingArtilleryMissile: "bombardeo, artillería o misil",
	testigo.TypeRemoteExplosive:          "explosivo a distancia",
	testigo.TypeSuicideBomb:              "atentado suicida",
	testigo.TypeGrenade:                  "granada",
	testigo.TypeArmedClash:               "enfrentamiento armado",
	testigo.TypeAttack:                   "ataque",
	testigo.TypeAbduction:                "secuestro o desaparición",
	testigo.TypeSexualViolence:           "violencia sexual",
	testigo.TypeMobViolence:              "violencia de turba",
	testigo.TypeArrest:                   "detención",
	testigo.TypeLooting:                  "saqueo",
	testigo.TypeOther:                    "otro",
	testigo.TypeVesselStrike:             "ataque a embarcación",
	testigo.TypeGroundRaid:               "incursión terrestre",
	testigo.TypeDeployment:               "despliegue",
	testigo.TypeOperationPlanning:        "planificación de operación",
	testigo.TypeOfficialStatement:        "declaración oficial",
	testigo.TypeOrganizedCrime:           "crimen organizado",
	testigo.TypeNaturalDisaster:          "desastre natural",
	testigo.TypeManMadeDisaster:          "desastre causado por el hombre",
	testigo.TypeDiplomaticEvent:          "evento diplomático",
	testigo.TypeAttributionClaim:         "atribución",
	testigo.TypePeacefulProtest:          "protesta pacífica",
}

// gradeLabel names a grade in lang.
func gradeLabel(lang string, g testigo.Grade) string {
	if lang == langES {
		switch g {
		case testigo.GradeConfirmed:
			return "confirmado"
		case testigo.GradeFair:
			return "aceptable"
		case testigo.GradeWeak:
			return "débil"
		case testigo.GradeContested:
			return "disputado"
		case testigo.GradeDiscounted:
			return "descartado"
		}
	}
	return string(g)
}

// reviewLabel names a review state in lang.
func reviewLabel(lang string, s testigo.ReviewState) string {
	if lang == langES {
		switch s {
		case testigo.ReviewNew:
			return "nuevo"
		case testigo.ReviewInReview:
			return "en revisión"
		case testigo.ReviewPublished:
			return "publicado"
		case testigo.ReviewRejected:
			return "rechazado"
		}
	}
	return strings.ReplaceAll(string(s), "_", " ")
}
