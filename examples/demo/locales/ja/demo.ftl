# The demo's own pages: home, sign-in, navigation.

demo-title = 見えるセッション
demo-signed-in-as = { $user } としてサインインしています。
demo-staff = スタッフ
demo-intro-signed-in = 別のブラウザやプライベートウィンドウで同じユーザーとしてサインインすると、セッションのページに 2 つ目のセッションが表示され、そこで終了できます。
demo-intro = このアプリケーションは、ユーザー・IP アドレス・ブラウザ・時刻とともに各セッションを 1 行として保存します。どこでサインインしているかを確認し、心当たりのないセッションを終了できます。
demo-your-sessions = アクティブなセッション
demo-all-sessions = すべてのセッション（管理）
demo-sign-out = サインアウト
demo-sign-in = サインイン
demo-signed-out-elsewhere = 別のデバイスからサインアウトされたか、セッションの有効期限が切れました。続けるにはもう一度サインインしてください。
demo-accounts = このデモのアカウント
demo-simulate-title = 試す：他のデバイスからのサインイン
demo-simulate-hint = iPhone、Android スマートフォン、Windows PC（公開アドレス）の 3 つのセッションを、そこでサインインしたかのようにアカウントに追加します。
demo-simulate-button = 別のデバイスからのサインインをシミュレート
demo-nav-sessions = あなたのセッション
demo-username = ユーザー名
demo-password = パスワード
demo-login-try = { $first } または { $second } をお試しください。
demo-geoip-sample = 場所：このデモのために作ったサンプルデータで、実際の位置情報ではありません。実際の場所を表示するには GEOIP_PATH に GeoLite2 または DB-IP のデータベースを指定してください。
demo-change-password = パスワードを変更
demo-current-password = 現在のパスワード
demo-new-password = 新しいパスワード
demo-password-changed = パスワードを変更しました。ほかのセッションはログアウトされ、このセッションはログインしたままです。
demo-new-sign-in = 新しいサインイン：{ $device }、{ $location } — { $ago }
demo-new-sign-in-unlocated = 新しいサインイン：{ $device } — { $ago }
