# The demo's own pages: home, sign-in, navigation.

demo-title = החיבורים שאפשר לראות
demo-signed-in-as = התחברת בתור { $user }.
demo-staff = צוות
demo-intro-signed-in = אפשר להתחבר בתור אותו משתמש בדפדפן אחר או בחלון פרטי, וחיבור שני יופיע בדף החיבורים — ושם אפשר לנתק אותו.
demo-intro = האפליקציה שומרת כל חיבור כשורה — עם המשתמש, כתובת ה־IP, הדפדפן והזמנים — כדי שתראו היכן אתם מחוברים ותנתקו חיבורים שאינכם מזהים.
demo-your-sessions = החיבורים הפעילים שלך
demo-all-sessions = כל החיבורים (ניהול)
demo-sign-out = התנתקות
demo-sign-in = התחברות
demo-signed-out-elsewhere = נותקת מהחשבון ממכשיר אחר, או שתוקף ההתחברות פג. יש להתחבר שוב כדי להמשיך.
demo-accounts = החשבונות של ההדגמה
demo-simulate-title = לנסות: התחברויות ממכשירים אחרים
demo-simulate-hint = מוסיף לחשבון שלך שלושה חיבורים — iPhone, טלפון Android ומחשב Windows, מכתובות ציבוריות — כאילו התחברת משם.
demo-simulate-button = הדמיית התחברות ממכשיר אחר
demo-nav-sessions = החיבורים שלך
demo-username = שם משתמש
demo-password = סיסמה
demo-login-try = אפשר לנסות { $first } או { $second }.
demo-geoip-sample = מיקומים: נתוני דוגמה שהומצאו להדגמה הזו, לא מיקום גאוגרפי אמיתי. להצגת מיקומים אמיתיים יש להגדיר ב־GEOIP_PATH מסד נתונים של GeoLite2 או DB-IP.
demo-change-password = שינוי סיסמה
demo-current-password = סיסמה נוכחית
demo-new-password = סיסמה חדשה
demo-password-changed = הסיסמה שונתה. החיבורים האחרים שלך נותקו; החיבור הזה נשאר מחובר.
demo-new-sign-in = כניסה חדשה: { $device }, { $location } — { $ago }
demo-new-sign-in-unlocated = כניסה חדשה: { $device } — { $ago }
