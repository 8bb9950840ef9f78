#!/usr/bin/env python3
"""Data for bench/round: posts and applications of a recruitment round over the real
villages of data/divisions/guangdong.csv (valid ID numbers, homes near the posts), then
written scores for the screened-in and interview marks for the shortlisted, read from lists
the bench takes out of the database between steps. Standard library only; seeded, so the
same sizes give the same files. Not a test: the program's tests use tests/data/round/."""
import csv
import random
import sys

W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"


def id_number(region, y, m, d, seq):
    s = "%s%04d%02d%02d%03d" % (region, y, m, d, seq)
    return s + CHECK[sum(int(a) * b for a, b in zip(s, W)) % 11]


def divisions(path):
    towns, villages, parent = [], [], {}
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            parent[row["code"]] = row["parent"]
            if row["level"] == "township":
                towns.append(row["code"])
            elif row["level"] == "village":
                villages.append(row["code"])
    return towns, villages, parent


def county_of(code, parent):
    # township -> its parent (a county, or a prefecture without counties)
    t = code if code.endswith("000") else parent[code]
    return parent[t]


def base(n_apps, n_posts, div_path, out):
    rnd = random.Random(n_apps * 7 + n_posts)
    towns, villages, parent = divisions(div_path)
    by_county = {}
    for v in villages:
        by_county.setdefault(county_of(v, parent), []).append(v)
    posts = []
    with open(out + "/posts.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow("post_id,station_code,title,kind,quota,pool,education,majors,max_age,hukou_scope,language".split(","))
        for i in range(n_posts):
            service = rnd.random() < 0.7
            station = rnd.choice(villages) if service else rnd.choice(towns)
            county = county_of(station, parent)
            pool = ("Q" + county) if rnd.random() < 0.5 else ""
            edu = rnd.choice(["", "", "", "本科", "本科", "大专"])
            majors = "社会工作;社会学" if rnd.random() < 0.2 else ""
            max_age = "35" if rnd.random() < 0.5 else ""
            scope = rnd.choice(["any", "any", "province", "prefecture", "county"])
            lang = "yue" if rnd.random() < 0.05 else ""
            quota = rnd.choice([1, 1, 2, 2, 3])
            pid = str(100000 + i)
            posts.append((pid, county, pool))
            w.writerow([pid, station, "社工岗位%d" % i, "service" if service else "office", quota, pool,
                        edu, majors, max_age, scope, lang])
    pools = {}
    for pid, county, pool in posts:
        if pool:
            pools.setdefault(pool, []).append(pid)
    seen = set()
    with open(out + "/applications.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow("app_no,id_number,name,post_id,hukou_code,home_code,education,major,qualification,bonus,languages,preferences".split(","))
        surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
        given = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉梅晓文斌宇浩然欣怡子涵思雨嘉豪俊杰"
        for i in range(n_apps):
            pid, county, pool = posts[rnd.randrange(n_posts)]
            if rnd.random() < 0.7 and county in by_county:
                home = rnd.choice(by_county[county])
            else:
                home = rnd.choice(villages)
            while True:
                y, m, d = rnd.randint(1988, 2003), rnd.randint(1, 12), rnd.randint(1, 28)
                idn = id_number(home[:6], y, m, d, rnd.randint(0, 999))
                if idn not in seen:
                    seen.add(idn)
                    break
            name = rnd.choice(surnames) + "".join(rnd.choice(given) for _ in range(rnd.randint(1, 2)))
            prefs = ""
            if pool:
                others = pools[pool][:]
                rnd.shuffle(others)
                prefs = ";".join(others[:3])
            bonus = rnd.choice(["2.50", "5.00"]) if rnd.random() < 0.05 else ""
            w.writerow(["K%07d" % i, idn, name, pid, home, home,
                        rnd.choice(["本科", "本科", "本科", "硕士", "大专"]),
                        "社会工作" if rnd.random() < 0.8 else "心理学",
                        rnd.choice(["none", "none", "assistant", "intermediate"]), bonus,
                        "yue" if rnd.random() < 0.6 else "", prefs])


def written(subjects):
    rnd = random.Random(11)
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["app_no", "subject", "score"])
    for line in sys.stdin:
        app = line.strip()
        if not app:
            continue
        absent = rnd.random() < 0.02
        for s in subjects.split(","):
            out.writerow([app, s, "absent" if absent else "%d.%02d" % (rnd.randint(40, 97), rnd.randint(0, 99))])


def interview():
    rnd = random.Random(13)
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["app_no", "panel", "examiner", "mark"])
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        app, unit = line.split("|")
        # a few hundred panels, each examining several units (stable across runs)
        panel = "G%d" % (sum(map(ord, unit)) % 400)
        absent = rnd.random() < 0.01
        for e in range(5):
            out.writerow([app, panel, "E%d" % e, "absent" if absent else "%d.%d" % (rnd.randint(58, 95), rnd.randint(0, 9))])


if __name__ == "__main__":
    if sys.argv[1] == "base":
        base(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5])
    elif sys.argv[1] == "written":
        written(sys.argv[2])
    elif sys.argv[1] == "interview":
        interview()
