# The demo's own pages: home, sign-in, navigation.

demo-title = الجلسات التي تراها
demo-signed-in-as = أنت مسجّل الدخول باسم { $user }.
demo-staff = مشرف
demo-intro-signed-in = سجّل الدخول بالمستخدم نفسه في متصفح آخر أو نافذة خاصة، فتظهر جلسة ثانية في صفحة جلساتك — حيث يمكنك إنهاؤها.
demo-intro = يحفظ هذا التطبيق كل جلسة صفًا — بمستخدمها وعنوان IP والمتصفح والأوقات — لترى أين سجّلت الدخول وتنهي الجلسات التي لا تعرفها.
demo-your-sessions = جلساتك النشطة
demo-all-sessions = كل الجلسات (الإدارة)
demo-sign-out = تسجيل الخروج
demo-sign-in = تسجيل الدخول
demo-signed-out-elsewhere = تم تسجيل خروجك من جهاز آخر، أو انتهت صلاحية جلستك. سجّل الدخول مرة أخرى للمتابعة.
demo-accounts = حسابات هذا العرض
demo-simulate-title = جرّبها: تسجيلات دخول من أجهزة أخرى
demo-simulate-hint = يضيف ثلاث جلسات إلى حسابك — iPhone وهاتف Android وحاسوب Windows من عناوين عامة — كأنك سجّلت الدخول منها.
demo-simulate-button = محاكاة تسجيل دخول من جهاز آخر
demo-nav-sessions = جلساتك
demo-username = اسم المستخدم
demo-password = كلمة المرور
demo-login-try = جرّب { $first } أو { $second }.
demo-geoip-sample = المواقع: بيانات نموذجية مختلَقة لهذا العرض، وليست تحديدًا جغرافيًا حقيقيًا. اضبط GEOIP_PATH على قاعدة بيانات GeoLite2 أو DB-IP لرؤية المواقع الحقيقية.
demo-change-password = تغيير كلمة المرور
demo-current-password = كلمة المرور الحالية
demo-new-password = كلمة المرور الجديدة
demo-password-changed = تم تغيير كلمة المرور. تم تسجيل الخروج من جلساتك الأخرى؛ تبقى هذه الجلسة مسجلة الدخول.
demo-new-sign-in = تسجيل دخول جديد: { $device }، { $location } — { $ago }
demo-new-sign-in-unlocated = تسجيل دخول جديد: { $device } — { $ago }
