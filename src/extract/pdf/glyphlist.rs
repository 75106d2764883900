//! Glyph names to Unicode: the Adobe Glyph List (AGL) entries that occur in practice, plus the
//! naming conventions fonts use outside it.
//!
//! Simple fonts with a `/Differences` encoding name each glyph; the name is all we have to
//! know which character it is when the font carries no ToUnicode map. The table covers the
//! Latin, Greek and Cyrillic alphabets, punctuation, symbols, mathematics, arrows, box drawing
//! and the ligatures, as the AGL (a published Adobe specification) assigns them. Names outside
//! it are read by convention: `uniXXXX[XXXX…]`, `uXXXX[XX]`, a base name with a suffix
//! (`a.sc`, `one.oldstyle`) and ligatures written with underscores (`f_f_i`); names that carry
//! a number (`g65`, `cid65`, `c65`) are split by [`numeric_name`] for the caller to judge.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Latin-1 Supplement, U+00A0..=U+00FF, in code order.
const LATIN1: [&str; 96] = [
    "nbspace",
    "exclamdown",
    "cent",
    "sterling",
    "currency",
    "yen",
    "brokenbar",
    "section",
    "dieresis",
    "copyright",
    "ordfeminine",
    "guillemotleft",
    "logicalnot",
    "sfthyphen",
    "registered",
    "macron",
    "degree",
    "plusminus",
    "twosuperior",
    "threesuperior",
    "acute",
    "mu",
    "paragraph",
    "periodcentered",
    "cedilla",
    "onesuperior",
    "ordmasculine",
    "guillemotright",
    "onequarter",
    "onehalf",
    "threequarters",
    "questiondown",
    "Agrave",
    "Aacute",
    "Acircumflex",
    "Atilde",
    "Adieresis",
    "Aring",
    "AE",
    "Ccedilla",
    "Egrave",
    "Eacute",
    "Ecircumflex",
    "Edieresis",
    "Igrave",
    "Iacute",
    "Icircumflex",
    "Idieresis",
    "Eth",
    "Ntilde",
    "Ograve",
    "Oacute",
    "Ocircumflex",
    "Otilde",
    "Odieresis",
    "multiply",
    "Oslash",
    "Ugrave",
    "Uacute",
    "Ucircumflex",
    "Udieresis",
    "Yacute",
    "Thorn",
    "germandbls",
    "agrave",
    "aacute",
    "acircumflex",
    "atilde",
    "adieresis",
    "aring",
    "ae",
    "ccedilla",
    "egrave",
    "eacute",
    "ecircumflex",
    "edieresis",
    "igrave",
    "iacute",
    "icircumflex",
    "idieresis",
    "eth",
    "ntilde",
    "ograve",
    "oacute",
    "ocircumflex",
    "otilde",
    "odieresis",
    "divide",
    "oslash",
    "ugrave",
    "uacute",
    "ucircumflex",
    "udieresis",
    "yacute",
    "thorn",
    "ydieresis",
];

/// Latin Extended-A, U+0100..=U+017F, in code order.
const LATIN_EXT_A: [&str; 128] = [
    "Amacron",
    "amacron",
    "Abreve",
    "abreve",
    "Aogonek",
    "aogonek",
    "Cacute",
    "cacute",
    "Ccircumflex",
    "ccircumflex",
    "Cdotaccent",
    "cdotaccent",
    "Ccaron",
    "ccaron",
    "Dcaron",
    "dcaron",
    "Dcroat",
    "dcroat",
    "Emacron",
    "emacron",
    "Ebreve",
    "ebreve",
    "Edotaccent",
    "edotaccent",
    "Eogonek",
    "eogonek",
    "Ecaron",
    "ecaron",
    "Gcircumflex",
    "gcircumflex",
    "Gbreve",
    "gbreve",
    "Gdotaccent",
    "gdotaccent",
    "Gcommaaccent",
    "gcommaaccent",
    "Hcircumflex",
    "hcircumflex",
    "Hbar",
    "hbar",
    "Itilde",
    "itilde",
    "Imacron",
    "imacron",
    "Ibreve",
    "ibreve",
    "Iogonek",
    "iogonek",
    "Idotaccent",
    "dotlessi",
    "IJ",
    "ij",
    "Jcircumflex",
    "jcircumflex",
    "Kcommaaccent",
    "kcommaaccent",
    "kgreenlandic",
    "Lacute",
    "lacute",
    "Lcommaaccent",
    "lcommaaccent",
    "Lcaron",
    "lcaron",
    "Ldot",
    "ldot",
    "Lslash",
    "lslash",
    "Nacute",
    "nacute",
    "Ncommaaccent",
    "ncommaaccent",
    "Ncaron",
    "ncaron",
    "napostrophe",
    "Eng",
    "eng",
    "Omacron",
    "omacron",
    "Obreve",
    "obreve",
    "Ohungarumlaut",
    "ohungarumlaut",
    "OE",
    "oe",
    "Racute",
    "racute",
    "Rcommaaccent",
    "rcommaaccent",
    "Rcaron",
    "rcaron",
    "Sacute",
    "sacute",
    "Scircumflex",
    "scircumflex",
    "Scedilla",
    "scedilla",
    "Scaron",
    "scaron",
    "Tcommaaccent",
    "tcommaaccent",
    "Tcaron",
    "tcaron",
    "Tbar",
    "tbar",
    "Utilde",
    "utilde",
    "Umacron",
    "umacron",
    "Ubreve",
    "ubreve",
    "Uring",
    "uring",
    "Uhungarumlaut",
    "uhungarumlaut",
    "Uogonek",
    "uogonek",
    "Wcircumflex",
    "wcircumflex",
    "Ycircumflex",
    "ycircumflex",
    "Ydieresis",
    "Zacute",
    "zacute",
    "Zdotaccent",
    "zdotaccent",
    "Zcaron",
    "zcaron",
    "longs",
];

/// Greek capitals U+0391..=U+03A9 (U+03A2 is unassigned) and small letters U+03B1..=U+03C9.
const GREEK_UPPER: [&str; 25] = [
    "Alpha",
    "Beta",
    "Gamma",
    "Deltagreek",
    "Epsilon",
    "Zeta",
    "Eta",
    "Theta",
    "Iota",
    "Kappa",
    "Lambda",
    "Mu",
    "Nu",
    "Xi",
    "Omicron",
    "Pi",
    "Rho",
    "",
    "Sigma",
    "Tau",
    "Upsilon",
    "Phi",
    "Chi",
    "Psi",
    "Omegagreek",
];
const GREEK_LOWER: [&str; 25] = [
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "zeta",
    "eta",
    "theta",
    "iota",
    "kappa",
    "lambda",
    "mugreek",
    "nu",
    "xi",
    "omicron",
    "pi",
    "rho",
    "sigmafinal",
    "sigma",
    "tau",
    "upsilon",
    "phi",
    "chi",
    "psi",
    "omega",
];

/// Everything else, as `name=hex` (several hex values for a sequence, joined by `+`).
const OTHERS: &str = "
space=20 exclam=21 quotedbl=22 numbersign=23 dollar=24 percent=25 ampersand=26 quotesingle=27
parenleft=28 parenright=29 asterisk=2A plus=2B comma=2C hyphen=2D period=2E slash=2F
zero=30 one=31 two=32 three=33 four=34 five=35 six=36 seven=37 eight=38 nine=39 colon=3A
semicolon=3B less=3C equal=3D greater=3E question=3F at=40 bracketleft=5B backslash=5C
bracketright=5D asciicircum=5E underscore=5F grave=60 braceleft=7B bar=7C braceright=7D
asciitilde=7E
nonbreakingspace=A0 softhyphen=AD overscore=AF middot=B7 mu1=B5 guillemetleft=AB
guillemetright=BB Dslash=110 Cdot=10A cdot=10B Edot=116 edot=117 Gdot=120 gdot=121
Gcedilla=122 gcedilla=123 Idot=130 Kcedilla=136 kcedilla=137 Lcedilla=13B lcedilla=13C
Ldotaccent=13F ldotaccent=140 Ncedilla=145 ncedilla=146 Odblacute=150 odblacute=151
Rcedilla=156 rcedilla=157 Tcedilla=162 tcedilla=163 Udblacute=170 udblacute=171 Zdot=17B
zdot=17C slong=17F dmacron=111 Ostrokeacute=1FE ostrokeacute=1FF
florin=192 Ohorn=1A0 ohorn=1A1 Uhorn=1AF uhorn=1B0 Gcaron=1E6 gcaron=1E7 AEacute=1FC
aeacute=1FD Aringacute=1FA aringacute=1FB Oslashacute=1FE oslashacute=1FF Scommaaccent=218
scommaaccent=219 Tcommaaccent=162 dotlessj=237 schwa=259 Schwa=18F
circumflex=2C6 caron=2C7 breve=2D8 dotaccent=2D9 ring=2DA ogonek=2DB tilde=2DC
hungarumlaut=2DD apostrophemod=2BC commaturnedmod=2BB firsttonechinese=2C9 ilde=2DC
gravecomb=300 acutecomb=301 circumflexcmb=302 tildecomb=303 macroncmb=304 brevecmb=306
dotaccentcmb=307 dieresiscmb=308 hookabovecomb=309 ringcmb=30A hungarumlautcmb=30B
caroncmb=30C dotbelowcomb=323 cedillacmb=327 ogonekcmb=328 gravecmb=300 acutecmb=301
tildecmb=303 hookcmb=309 dotbelowcmb=323
Alphatonos=386 Epsilontonos=388 Etatonos=389 Iotatonos=38A Omicrontonos=38C Upsilontonos=38E
Omegatonos=38F iotadieresistonos=390 Iotadieresis=3AA Upsilondieresis=3AB alphatonos=3AC
epsilontonos=3AD etatonos=3AE iotatonos=3AF upsilondieresistonos=3B0 iotadieresis=3CA
upsilondieresis=3CB omicrontonos=3CC upsilontonos=3CD omegatonos=3CE sigma1=3C2 theta1=3D1
thetasymbolgreek=3D1 Upsilon1=3D2 phi1=3D5 phisymbolgreek=3D5 omega1=3D6 pisymbolgreek=3D6
tonos=384 dieresistonos=385 anoteleia=387 questiongreek=37E Delta=2206 Omega=2126 mu=B5
afii10023=401 afii10051=402 afii10052=403 afii10053=404 afii10054=405 afii10055=406
afii10056=407 afii10057=408 afii10058=409 afii10059=40A afii10060=40B afii10061=40C
afii10062=40E afii10145=40F afii10071=451 afii10099=452 afii10100=453 afii10101=454
afii10102=455 afii10103=456 afii10104=457 afii10105=458 afii10106=459 afii10107=45A
afii10108=45B afii10109=45C afii10110=45E afii10193=45F afii10050=490 afii10098=491
afii10146=462 afii10194=463 afii10147=472 afii10195=473 afii10148=474 afii10196=475
afii10846=4D9 afii00208=2015 afii61352=2116 afii57929=2BC afii64937=2BD afii299=200E
afii300=200F afii301=200D afii61664=200C afii08941=20A4 afii61248=2105 afii61289=2113
Euro=20AC euro=20AC
enspace=2002 zerowidthspace=200B zerowidthnonjoiner=200C zerowidthjoiner=FEFF hyphentwo=2010
figuredash=2012 endash=2013 emdash=2014 horizontalbar=2015 dblverticalbar=2016
underscoredbl=2017 quoteleft=2018 quoteright=2019 quotesinglbase=201A quotereversed=201B
quoteleftreversed=201B quotedblleft=201C quotedblright=201D quotedblbase=201E dagger=2020
daggerdbl=2021 bullet=2022 onedotenleader=2024 twodotenleader=2025 twodotleader=2025
ellipsis=2026 perthousand=2030 minute=2032 second=2033 primereversed=2035 guilsinglleft=2039
guilsinglright=203A referencemark=203B exclamdbl=203C overline=203E fraction=2044
zerosuperior=2070 foursuperior=2074 fivesuperior=2075 sixsuperior=2076 sevensuperior=2077
eightsuperior=2078 ninesuperior=2079 plussuperior=207A equalsuperior=207C
parenleftsuperior=207D parenrightsuperior=207E nsuperior=207F zeroinferior=2080
oneinferior=2081 twoinferior=2082 threeinferior=2083 fourinferior=2084 fiveinferior=2085
sixinferior=2086 seveninferior=2087 eightinferior=2088 nineinferior=2089
parenleftinferior=208D parenrightinferior=208E colonmonetary=20A1 colonsign=20A1
cruzeiro=20A2 franc=20A3 lira=20A4 peseta=20A7 won=20A9 sheqel=20AA newsheqelsign=20AA
dong=20AB rupee=20B9 rupeeindian=20B9
careof=2105 centigrade=2103 fahrenheit=2109 lsquare=2113 numero=2116 prescription=211E
Ifraktur=2111 Rfraktur=211C weierstrass=2118 trademark=2122 Ohm=2126 estimated=212E
aleph=2135 onethird=2153 twothirds=2154 oneeighth=215B threeeighths=215C fiveeighths=215D
seveneighths=215E Oneroman=2160 Tworoman=2161 Threeroman=2162 Fourroman=2163 Fiveroman=2164
arrowleft=2190 arrowup=2191 arrowright=2192 arrowdown=2193 arrowboth=2194 arrowupdn=2195
arrowupleft=2196 arrowupright=2197 arrowdownright=2198 arrowdownleft=2199 carriagereturn=21B5
arrowdblleft=21D0 arrowleftdbl=21D0 arrowdblup=21D1 arrowdblright=21D2 dblarrowright=21D2
arrowdbldown=21D3 arrowdblboth=21D4 dblarrowleft=21D4
universal=2200 forall=2200 partialdiff=2202 existential=2203 thereexists=2203 emptyset=2205
increment=2206 gradient=2207 nabla=2207 element=2208 notelement=2209 notelementof=2209
suchthat=220B owner=220B product=220F summation=2211 minus=2212 minusplus=2213
divisionslash=2215 asteriskmath=2217 bulletoperator=2219 radical=221A proportional=221D
infinity=221E orthogonal=221F rightangle=221F angle=2220 divides=2223 parallel=2225
notparallel=2226 logicaland=2227 logicalor=2228 intersection=2229 union=222A integral=222B
dblintegral=222C contourintegral=222E therefore=2234 because=2235 ratio=2236 proportion=2237
similar=223C tildeoperator=223C reversedtilde=223D asymptoticallyequal=2243 congruent=2245
approximatelyequal=2245 approxequal=2248 allequal=224C approaches=2250 geometricallyequal=2251
notequal=2260 equivalence=2261 notidentical=2262 lessequal=2264 greaterequal=2265
lessoverequal=2266 greateroverequal=2267 muchless=226A muchgreater=226B notless=226E
notgreater=226F subset=2282 propersubset=2282 superset=2283 propersuperset=2283
notsubset=2284 notsuperset=2285 subsetorequal=2286 reflexsubset=2286 supersetorequal=2287
reflexsuperset=2287 circleplus=2295 pluscircle=2295 minuscircle=2296 circlemultiply=2297
timescircle=2297 circleot=2299 tackleft=22A3 tackdown=22A4 perpendicular=22A5 dotmath=22C5
house=2302 revlogicalnot=2310 logicalnotreversed=2310 integraltp=2320 integraltop=2320
integralbt=2321 integralbottom=2321 angleleft=2329 angleright=232A
SF100000=2500 SF110000=2502 SF010000=250C SF030000=2510 SF020000=2514 SF040000=2518
SF080000=251C SF090000=2524 SF060000=252C SF070000=2534 SF050000=253C SF430000=2550
SF240000=2551 SF510000=2552 SF520000=2553 SF390000=2554 SF220000=2555 SF210000=2556
SF250000=2557 SF500000=2558 SF490000=2559 SF380000=255A SF280000=255B SF270000=255C
SF260000=255D SF360000=255E SF370000=255F SF420000=2560 SF190000=2561 SF200000=2562
SF230000=2563 SF470000=2564 SF480000=2565 SF410000=2566 SF450000=2567 SF460000=2568
SF400000=2569 SF540000=256A SF530000=256B SF440000=256C upblock=2580 dnblock=2584
block=2588 lfblock=258C rtblock=2590 ltshade=2591 shade=2592 dkshade=2593
filledbox=25A0 blacksquare=25A0 H22073=25A1 whitesquare=25A1 H18543=25AA blacksmallsquare=25AA
H18551=25AB whitesmallsquare=25AB filledrect=25AC blackrectangle=25AC triagup=25B2
blackuppointingtriangle=25B2 triagrt=25BA blackrightpointingpointer=25BA
blackrightpointingtriangle=25B6 triagdn=25BC blackdownpointingtriangle=25BC triaglf=25C4
blackleftpointingpointer=25C4 blackdiamond=25C6 whitediamond=25C7 lozenge=25CA circle=25CB
whitecircle=25CB H18533=25CF blackcircle=25CF invbullet=25D8 bulletinverse=25D8
invcircle=25D9 openbullet=25E6 whitebullet=25E6 largecircle=25EF blackstar=2605
whitestar=2606 telephoneblack=260E pointingindexrightwhite=261E smileface=263A
whitesmilingface=263A invsmileface=263B blacksmilingface=263B sun=263C compass=263C
female=2640 venus=2640 male=2642 mars=2642 spade=2660 spadesuitblack=2660 club=2663
clubsuitblack=2663 heart=2665 heartsuitblack=2665 diamond=2666 musicalnote=266A
musicalnotedbl=266B eighthnotebeamed=266B checkmark=2713 arrowrightheavy=279E
ff=FB00 fi=FB01 fl=FB02 ffi=FB03 ffl=FB04 f_f=FB00 f_i=FB01 f_l=FB02 f_f_i=FB03 f_f_l=FB04
st=FB06 s_t=FB06 dotlessj=237
apple=F8FF copyrightsans=A9 copyrightserif=A9 registersans=AE registerserif=AE
trademarksans=2122 trademarkserif=2122 radicalex=F8E5 arrowvertex=23D0 arrowhorizex=23AF
parenlefttp=239B parenleftex=239C parenleftbt=239D bracketlefttp=23A1 bracketleftex=23A2
bracketleftbt=23A3 bracelefttp=23A7 braceleftmid=23A8 braceleftbt=23A9 braceex=23AA
integralex=23AE parenrighttp=239E parenrightex=239F parenrightbt=23A0 bracketrighttp=23A4
bracketrightex=23A5 bracketrightbt=23A6 bracerighttp=23AB bracerightmid=23AC
bracerightbt=23AD
angbracketleft=27E8 angbracketright=27E9 arrowbothv=2195 arrowdblbothv=21D5 bardbl=2225
ceilingleft=2308 ceilingright=2309 floorleft=230A floorright=230B circledot=2299
circleminus=2296 circledivide=2298 coproduct=2A3F diamondmath=22C4 epsilon1=3F5
equivasymptotic=224D follows=227B followsequal=227D precedes=227A precedesequal=227C
greatermuch=226B lessmuch=226A intersectionsq=2293 unionsq=2294 latticetop=22A4 lscript=2113
negationslash=338 prime=2032 rho1=3F1 pi1=3D6 similarequal=2243 star=22C6
subsetsqequal=2291 supersetsqequal=2292 triangle=25B3 triangleinv=25BD triangleleft=25C1
triangleright=25B7 turnstileleft=22A2 turnstileright=22A3 unionmulti=228E wreathproduct=2240
flat=266D natural=266E sharp=266F arrownortheast=2197 arrownorthwest=2196
arrowsoutheast=2198 arrowsouthwest=2199 mapsto=21A6 Ng=14A ng=14B
";

fn table() -> &'static HashMap<String, Vec<char>> {
    static TABLE: OnceLock<HashMap<String, Vec<char>>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map: HashMap<String, Vec<char>> = HashMap::with_capacity(1200);
        let mut put = |name: &str, cp: u32| {
            if let Some(c) = char::from_u32(cp) {
                if !name.is_empty() {
                    map.insert(name.to_string(), vec![c]);
                }
            }
        };
        for (i, name) in LATIN1.iter().enumerate() {
            put(name, 0xA0 + i as u32);
        }
        for (i, name) in LATIN_EXT_A.iter().enumerate() {
            put(name, 0x100 + i as u32);
        }
        for (i, name) in GREEK_UPPER.iter().enumerate() {
            put(name, 0x391 + i as u32);
        }
        for (i, name) in GREEK_LOWER.iter().enumerate() {
            put(name, 0x3B1 + i as u32);
        }
        // Cyrillic: afii10017..=afii10022 → А..Е, afii10024..=afii10049 → Ж..Я,
        // afii10065..=afii10070 → а..е, afii10072..=afii10097 → ж..я.
        for (first, last, base) in [
            (10017u32, 10022u32, 0x410u32),
            (10024, 10049, 0x416),
            (10065, 10070, 0x430),
            (10072, 10097, 0x436),
        ] {
            for n in first..=last {
                put(&format!("afii{n}"), base + (n - first));
            }
        }
        for entry in OTHERS.split_whitespace() {
            if let Some((name, hex)) = entry.split_once('=') {
                let chars: Vec<char> = hex
                    .split('+')
                    .filter_map(|h| u32::from_str_radix(h, 16).ok())
                    .filter_map(char::from_u32)
                    .collect();
                if !chars.is_empty() {
                    map.insert(name.to_string(), chars);
                }
            }
        }
        map
    })
}

/// Append the text a glyph name stands for to `out`; `false` if the name says nothing about
/// it. (Names that carry a number, like `c65`, are left to [`numeric_name`].)
pub fn name_to_unicode(name: &[u8], out: &mut String) -> bool {
    let Ok(name) = std::str::from_utf8(name) else {
        return false;
    };
    if name.is_empty() || name == ".notdef" {
        return false;
    }
    if let Some(chars) = table().get(name) {
        out.extend(chars.iter());
        return true;
    }
    // A single ASCII letter names itself.
    if name.len() == 1 {
        let c = name.as_bytes()[0];
        if c.is_ascii_alphabetic() {
            out.push(c as char);
            return true;
        }
        return false;
    }
    // uniXXXX[XXXX…]: one or more 4-digit code points.
    if let Some(hex) = name.strip_prefix("uni") {
        if !hex.is_empty() && hex.len() % 4 == 0 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            let start = out.len();
            let mut ok = true;
            for i in (0..hex.len()).step_by(4) {
                match hex
                    .get(i..i + 4)
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .and_then(char::from_u32)
                {
                    Some(c) => out.push(c),
                    None => ok = false,
                }
            }
            if ok {
                return true;
            }
            out.truncate(start);
        }
    }
    // uXXXX to uXXXXXX.
    if let Some(hex) = name.strip_prefix('u') {
        if (4..=6).contains(&hex.len()) && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            if let Some(c) = u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) {
                out.push(c);
                return true;
            }
        }
    }
    // A suffix after a period is a variant of the same character: `a.sc`, `one.oldstyle`.
    if let Some((base, _)) = name.split_once('.') {
        if !base.is_empty() {
            return name_to_unicode(base.as_bytes(), out);
        }
        return false;
    }
    // Ligatures spelt with underscores: `f_f_i`, `T_h`.
    if name.contains('_') {
        let start = out.len();
        for part in name.split('_') {
            if !name_to_unicode(part.as_bytes(), out) {
                out.truncate(start);
                return false;
            }
        }
        return true;
    }
    false
}

/// For names like `g65`, `G65`, `c65`, `cid65`, `glyph65`, `index65`: the number they carry.
pub fn numeric_name(name: &[u8]) -> Option<u32> {
    let split = name.iter().position(|b| b.is_ascii_digit())?;
    let (prefix, digits) = name.split_at(split);
    if !matches!(
        prefix,
        b"g" | b"G" | b"c" | b"C" | b"cid" | b"glyph" | b"index" | b"char"
    ) || digits.is_empty()
        || digits.len() > 5
        || !digits.iter().all(u8::is_ascii_digit)
    {
        return None;
    }
    std::str::from_utf8(digits).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(n: &str) -> Option<String> {
        let mut s = String::new();
        name_to_unicode(n.as_bytes(), &mut s).then_some(s)
    }

    #[test]
    fn agl_names() {
        assert_eq!(name("A").as_deref(), Some("A"));
        assert_eq!(name("eacute").as_deref(), Some("é"));
        assert_eq!(name("zcaron").as_deref(), Some("ž"));
        assert_eq!(name("quotedblleft").as_deref(), Some("\u{201C}"));
        assert_eq!(name("afii10017").as_deref(), Some("А"));
        assert_eq!(name("afii10097").as_deref(), Some("я"));
        assert_eq!(name("omega").as_deref(), Some("ω"));
        assert_eq!(name("fi").as_deref(), Some("\u{FB01}"));
    }

    #[test]
    fn conventions_outside_the_list() {
        assert_eq!(name("uni0041").as_deref(), Some("A"));
        assert_eq!(name("uni00660069").as_deref(), Some("fi"));
        assert_eq!(name("u1F600").as_deref(), Some("\u{1F600}"));
        assert_eq!(name("a.sc").as_deref(), Some("a"));
        assert_eq!(name("T_h").as_deref(), Some("Th"));
        assert_eq!(name("g123"), None);
        assert_eq!(name("bogus"), None);
        assert_eq!(numeric_name(b"g65"), Some(65));
        assert_eq!(numeric_name(b"cid0042"), Some(42));
        assert_eq!(numeric_name(b"gamma"), None);
    }
}
